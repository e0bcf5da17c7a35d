import 'reflect-metadata';
import { createApp } from './app.factory';
import { loadConfig } from './config/load-config';

const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  // app.close() runs the graceful shutdown (GracefulShutdown), then closes the server and the pool.
  // Exit 0 once done: stopping on request is a success for an orchestrator.
  let stopping = false;
  for (const signal of STOP_SIGNALS) {
    process.on(signal, () => {
      if (stopping) {
        // A second Ctrl-C: leave now. Uncommitted ingestions roll back with the connection.
        if (signal === 'SIGINT') process.exit(130);
        return;
      }
      stopping = true;
      app.close().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(`db-migration-api failed to stop cleanly: ${error instanceof Error ? error.message : String(error)}`);
          process.exit(1);
        },
      );
    });
  }
  await app.listen(config.server.port, config.server.host);
}

bootstrap().catch((error: unknown) => {
  // Config and database errors stop start-up with one clear line.
  console.error(`db-migration-api failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
