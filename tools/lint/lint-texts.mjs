// Lints source texts under file paths of your choosing with the repository's own ESLint config,
// without writing them anywhere: module-boundaries.spec.ts feeds it deliberate violations.
// stdin: [{ "filePath": "libs/contracts/src/x.ts", "code": "..." }]
// stdout: [{ "filePath": ..., "messages": [{ "ruleId": ..., "message": ... }] }]
import { ESLint } from 'eslint';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const cases = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const eslint = new ESLint({ cwd: root });
const out = [];
for (const { filePath, code } of cases) {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  out.push({ filePath, messages: (result?.messages ?? []).map((m) => ({ ruleId: m.ruleId, message: m.message })) });
}
process.stdout.write(JSON.stringify(out));
