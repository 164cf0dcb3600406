export const SERVICE_CONFIG = Symbol('finmesh.service-config');
export const LOGGER = Symbol('finmesh.logger');
export const SERVICE_MIGRATIONS = Symbol('finmesh.service-migrations');
