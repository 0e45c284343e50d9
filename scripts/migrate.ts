import { loadConfig } from '../src/config';
import { prepareDatabase } from '../src/dev/prepare';

// The production migrate step (docker-compose's one-shot `migrate` service):
// migrations as DATABASE_OWNER_URL, the application role's rights, and the demo
// data only when LOAD_DEMO_DATA=true.
prepareDatabase(loadConfig(), (line) => console.log(line)).catch((err) => {
  console.error(err);
  process.exit(1);
});
