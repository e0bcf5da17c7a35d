import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { documentLivenessRoute } from './health/liveness.route';
import { API_KEY_SCHEME, BEARER_SCHEME } from './auth/access.decorators';

/** Swagger UI at /docs and the document at /docs-json. */
export function setUpOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('db-migration-api')
    .setDescription(
      'Ingests departments, jobs and employees from CSV files and JSON batches into SQLite or PostgreSQL, ' +
        'with line-precise validation, an audit trail of every ingestion, and hiring analytics. ' +
        'Errors are RFC 9457 problem details (application/problem+json).',
    )
    .setVersion('0.1.0')
    // Either scheme carries the same key; each operation says which role it needs (x-required-role).
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key: Authorization: Bearer <key>.' }, BEARER_SCHEME)
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'The same API key in X-API-Key.' }, API_KEY_SCHEME)
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controller, method) => method,
  });
  documentLivenessRoute(document);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
