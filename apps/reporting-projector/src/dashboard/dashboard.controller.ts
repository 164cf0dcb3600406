import { Controller, Get, Header } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Public } from '@finmesh/service-kit';

/** The page's files sit next to this controller, so they are found from source (swc) and in tests alike. */
const PAGE_DIR = path.join(__dirname, 'page');

/**
 * No data here: the page fetches the reports API with the bearer token the user gives it in the URL
 * fragment, so the page itself can be public. Only same-origin scripts and requests are allowed.
 */
const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** `GET /dashboard`: the reporting dashboard (a static page and its script, read once at start-up). */
@Controller('dashboard')
export class DashboardController {
  private readonly html = readFileSync(path.join(PAGE_DIR, 'dashboard.html'), 'utf8');
  private readonly script = readFileSync(path.join(PAGE_DIR, 'dashboard.js'), 'utf8');

  @Get()
  @Public()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', CONTENT_SECURITY_POLICY)
  @Header('Referrer-Policy', 'no-referrer')
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Cache-Control', 'no-cache')
  page(): string {
    return this.html;
  }

  @Get('dashboard.js')
  @Public()
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Cache-Control', 'no-cache')
  pageScript(): string {
    return this.script;
  }
}
