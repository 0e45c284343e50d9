import { spawnSync } from 'node:child_process';
import path from 'node:path';

// The lint rule that keeps the layers pointing down, exercised on code that breaks it:
// `npm test` lints src/, and this proves the rule would catch the regression.
const ROOT = path.resolve(__dirname, '..', '..');

type Case = [file: string, code: string];

/**
 * Lints each snippet as if it were the named file, with the project's config (an ES
 * module, which Jest's loader does not import, so a child Node does). The type-aware
 * rules need files the TypeScript project knows; they are off here, the import rules are not.
 */
function restrictedImports(cases: Case[]): string[][] {
  const script = `
    import { ESLint } from 'eslint';
    const cases = JSON.parse(process.argv[1]);
    const eslint = new ESLint({
      overrideConfig: {
        languageOptions: { parserOptions: { projectService: false } },
        rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
      },
    });
    const out = [];
    for (const [file, code] of cases) {
      const [result] = await eslint.lintText(code, { filePath: file });
      out.push(result.messages.map((m) => (m.ruleId ?? 'fatal') + ': ' + m.message));
    }
    console.log(JSON.stringify(out));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(cases)], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as string[][];
}

const refused: Case[] = [
  ['src/domain/salesLeads/x.ts', "import type { SalesLeadInput } from '../../workflows/salesLeads/contract';\nexport type X = SalesLeadInput;\n"],
  ['src/domain/esimOrders/x.ts', "import type { Orm } from '../../db/orm';\nexport type X = Orm;\n"],
  ['src/db/fibre/x.ts', "import type { Activities } from '../../activities';\nexport type X = Activities;\n"],
  ['src/external/mefOrders/x.ts', "import { mefOrderWorkflowId } from '../../workflows/mefOrders/contract';\nexport const x = mefOrderWorkflowId('1');\n"],
  ['src/external/fibre/x.ts', "import type { RouteTable } from '../../api/shared/routes';\nexport type X = RouteTable;\n"],
];
const allowed: Case[] = [
  ['src/domain/fibre/x.ts', "import type { OrderState } from './order';\nexport type X = OrderState;\n"],
  ['src/db/fibre/x.ts', "import type { OrderState } from '../../domain/fibre/order';\nexport type X = OrderState;\n"],
  ['src/external/esimOrders/x.ts', "import type { Orm } from '../../db/orm';\nexport type X = Orm;\n"],
];

describe('import direction', () => {
  it('refuses an import from a layer above, and allows the layers below', () => {
    const answers = restrictedImports([...refused, ...allowed]);
    refused.forEach((_, i) => expect(answers[i]).toEqual([expect.stringMatching(/^no-restricted-imports: .* sits? below/)]));
    allowed.forEach((_, i) => expect(answers[refused.length + i]).toEqual([]));
  }, 120_000);
});
