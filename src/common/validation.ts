import { ArgumentMetadata, ValidationError, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ApiProblem } from './api-problem';

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
    const path = `${prefix}${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      column: path,
      value: displayValue(error.value),
      message: message.startsWith(error.property) ? `${path}${message.slice(error.property.length)}` : message,
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
    return super.transform(value, metadata);
  }
}
