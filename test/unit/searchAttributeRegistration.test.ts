import fs from 'node:fs';
import path from 'node:path';
import { devServerArgs } from '../../src/temporal/devServer';
import { SEARCH_ATTRIBUTES } from '../../src/workflows/shared/searchAttributes';

const names = SEARCH_ATTRIBUTES.map((k) => k.name);
const compose = fs.readFileSync(path.join(__dirname, '..', '..', 'docker-compose.yml'), 'utf8');

describe('every place that registers our search attributes registers all of them', () => {
  it('includes BusinessReference, the reference partners quote', () => {
    expect(names).toContain('BusinessReference');
  });

  it('the embedded dev server registers each as Keyword', () => {
    const args = devServerArgs({ binary: 'temporal', dbFile: 'x.sqlite', port: 7233, uiPort: 8233, namespace: 'default' });
    const registered = args.filter((_, i) => args[i - 1] === '--search-attribute');
    expect(registered).toEqual(names.map((n) => `${n}=Keyword`));
  });

  it('docker-compose.yml registers each and waits until a query naming each is accepted', () => {
    const loop = /for name in ([A-Za-z ]+); do/.exec(compose);
    expect(loop?.[1]?.trim().split(/\s+/)).toEqual(names);
    const probe = /query="([^"]+)"/.exec(compose)?.[1] ?? '';
    expect(probe.split(' AND ').map((c) => c.split(' = ')[0])).toEqual(names);
  });
});
