import { prepareTemporalBinaries } from '../src/dev/prepare';

// Finds or installs the Temporal CLI and test server once, before jest's workers race for them.
const found = prepareTemporalBinaries((line) => process.stdout.write(`[setup]    ${line}\n`));
process.stdout.write(`[setup]    temporal: ${found.cli ?? 'SDK download'}; test server: ${found.testServer ?? 'SDK download'}\n`);
