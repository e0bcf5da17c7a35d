import { ValidateBy, ValidationOptions } from 'class-validator';
import { parseIsoInstant } from './iso-instant';

/** The same ISO 8601 rule as hire_date in uploads. */
export function IsIsoInstant(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIsoInstant',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && parseIsoInstant(value) !== null,
        defaultMessage: () => '$property must be an ISO 8601 date or date-time',
      },
    },
    options,
  );
}
