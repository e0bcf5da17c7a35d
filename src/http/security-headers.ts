import fastifyHelmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * Helmet's security headers on every answer. The content security policy is
 * the one Swagger UI at /docs can live with: its scripts and styles come from
 * /docs itself, it sets inline styles and shows data: images; nothing is
 * loaded from anywhere else and no page may frame the API.
 * upgrade-insecure-requests is left out: TLS ends at the load balancer, and
 * on a plain-HTTP port (local runs) it would make browsers fetch /docs assets
 * over HTTPS, where nothing answers.
 */
export async function registerSecurityHeaders(app: NestFastifyApplication): Promise<void> {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
      },
    },
    frameguard: { action: 'deny' },
  });
}
