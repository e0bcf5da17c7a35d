import { ArgumentMetadata, ValidationError, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ApiProblem } from './api-problem';
import { clip } from './clip';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth';

interface FieldProblem {
  column: string;
  value: string | null;
  message: string;
}

/** The options of the global ValidationPipe: strict, and errors as problem details. */
export const VALIDATION_OPTIONS: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  exceptionFactory: (errors) => validationProblem(errors),
};

export function validationProblem(errors: ValidationError[]): ApiProblem {
  const fields = flatten(errors);
  return new ApiProblem(400, 'invalid_request', fields.map((f) => f.message).join('; '), { errors: fields });
}

/** Validates plain values (e.g. multipart fields) against a DTO class, the same way the pipe does. */
export function validatePlain<T extends object>(cls: new () => T, plain: Record<string, unknown>): T {
  const instance = plainToInstance(cls, plain);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw validationProblem(errors);
  return instance;
}

function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    // A property name is the client's text too: a megabyte-long one is not echoed whole.
    const path = `${prefix}${clip(error.property, 64)}`;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      column: path,
      value: displayValue(error.value),
      message: message.startsWith(error.property) ? `${path}${clip(message.slice(error.property.length), 300)}` : clip(message, 300),
    }));
    return [...own, ...flatten(error.children ?? [], `${path}.`)];
  });
}

/** Scalars as text; arrays and objects are not echoed back (a 1001-row batch would be). */
function displayValue(value: unknown): string | null {
  if (value === undefined || value === null || typeof value === 'object') return null;
  return String(value).slice(0, 200);
}

/**
 * The global pipe for bodies and queries. Path parameters are left to their
 * own pipes (ParseIdPipe), which must see the raw text: the pipe's primitive
 * conversion would read "1e0" or "0x1" as the id 1.
 */
export class AppValidationPipe extends ValidationPipe {
  constructor() {
    super(VALIDATION_OPTIONS);
  }

  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'param') return Promise.resolve(value);
    // Before class-transformer copies the body: it recurses once per level and a deep body would overflow the stack (a 500).
    if (metadata.type === 'body' && nestsDeeperThan(value, MAX_JSON_DEPTH)) {
      throw new ApiProblem(400, 'invalid_request', `the JSON body nests more than ${MAX_JSON_DEPTH} arrays or objects deep`);
    }
    return super.transform(value, metadata);
  }
}
