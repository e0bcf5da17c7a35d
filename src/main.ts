import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from './app.factory';
import { loadConfig } from './config/load-config';

const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  let app: NestFastifyApplication | null = null;
  let stopping = false;
  // Installed before start-up: as PID 1 in a container, a signal without a handler is ignored.
  for (const signal of STOP_SIGNALS) {
    process.on(signal, () => {
      if (stopping) {
        // A second Ctrl-C: leave now. Uncommitted ingestions roll back with the connection.
        if (signal === 'SIGINT') process.exit(130);
        return;
      }
      stopping = true;
      // Still starting: nothing is served yet, and a running migration's transaction rolls back with its connection.
      if (!app) process.exit(0);
      // app.close() runs the graceful shutdown (GracefulShutdown), then closes the server and the pool.
      // Exit 0 once done: stopping on request is a success for an orchestrator.
      app.close().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(`db-migration-api failed to stop cleanly: ${error instanceof Error ? error.message : String(error)}`);
          process.exit(1);
        },
      );
    });
  }
  app = await createApp(config);
  await app.listen(config.server.port, config.server.host);
}

bootstrap().catch((error: unknown) => {
  // Config and database errors stop start-up with one clear line.
  console.error(`db-migration-api failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
