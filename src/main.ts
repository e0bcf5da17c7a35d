import 'reflect-metadata';
import { createApp } from './app.factory';
import { loadConfig } from './config/load-config';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen(config.server.port, config.server.host);
}

bootstrap().catch((error: unknown) => {
  // Config and database errors stop start-up with one clear line.
  console.error(`db-migration-api failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
