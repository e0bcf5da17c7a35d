import { parseIsoInstant } from './iso-instant';

describe(parseIsoInstant.name, () => {
  describe('dates without a time', () => {
    it.each([
      ['2021-01-01', '2021-01-01T00:00:00.000Z'],
      ['1999-12-31', '1999-12-31T00:00:00.000Z'],
      ['0001-01-01', '0001-01-01T00:00:00.000Z'],
      ['9999-12-31', '9999-12-31T00:00:00.000Z'],
    ])('reads %s as midnight UTC', (input, expected) => {
      expect(parseIsoInstant(input)).toBe(expected);
    });
  });

  describe('date-times', () => {
    it.each([
      ['2021-07-27T16:02:08Z', '2021-07-27T16:02:08.000Z'],
      ['2021-07-27t16:02:08z', '2021-07-27T16:02:08.000Z'],
      ['2021-07-27T16:02Z', '2021-07-27T16:02:00.000Z'],
      ['2021-07-27T16:02', '2021-07-27T16:02:00.000Z'],
      ['2021-07-27T16:02:08', '2021-07-27T16:02:08.000Z'],
      ['2021-07-27 16:02:08Z', '2021-07-27T16:02:08.000Z'],
      ['2021-07-27 16:02:08', '2021-07-27T16:02:08.000Z'],
      ['2021-07-27T00:00:00Z', '2021-07-27T00:00:00.000Z'],
      ['2021-07-27T23:59:59Z', '2021-07-27T23:59:59.000Z'],
    ])('reads %s as %s', (input, expected) => {
      expect(parseIsoInstant(input)).toBe(expected);
    });
  });

  describe('offsets', () => {
    it.each([
      ['2021-07-27T16:02:08+05:30', '2021-07-27T10:32:08.000Z'],
      ['2021-07-27T16:02:08+0530', '2021-07-27T10:32:08.000Z'],
      ['2021-07-27T16:02:08-0500', '2021-07-27T21:02:08.000Z'],
      ['2021-07-27T16:02:08-05:00', '2021-07-27T21:02:08.000Z'],
      ['2021-07-27T16:02:08-05', '2021-07-27T21:02:08.000Z'],
      ['2021-07-27T16:02:08+00:00', '2021-07-27T16:02:08.000Z'],
      ['2021-07-27T16:02:08-00:00', '2021-07-27T16:02:08.000Z'],
      ['2021-07-27T16:02+01', '2021-07-27T15:02:00.000Z'],
      ['2021-07-27 16:02:08+02:00', '2021-07-27T14:02:08.000Z'],
    ])('converts %s to UTC %s', (input, expected) => {
      expect(parseIsoInstant(input)).toBe(expected);
    });

    it('carries a negative offset into the next year', () => {
      expect(parseIsoInstant('2021-12-31T23:30:00-05:00')).toBe('2022-01-01T04:30:00.000Z');
    });

    it('carries a positive offset back into the previous year', () => {
      expect(parseIsoInstant('2022-01-01T01:00:00+02:00')).toBe('2021-12-31T23:00:00.000Z');
    });

    it('carries an offset across the end of February in a leap year', () => {
      expect(parseIsoInstant('2020-02-28T22:00:00-03:00')).toBe('2020-02-29T01:00:00.000Z');
      expect(parseIsoInstant('2021-02-28T22:00:00-03:00')).toBe('2021-03-01T01:00:00.000Z');
    });

    it.each(['2021-07-27T16:02:08+24:00', '2021-07-27T16:02:08+05:60', '2021-07-27T16:02:08+5:30', '2021-07-27T16:02:08+05:3'])(
      'rejects the impossible or malformed offset in %s',
      (input) => {
        expect(parseIsoInstant(input)).toBeNull();
      },
    );

    it('rejects an offset that pushes the instant past year 9999', () => {
      expect(parseIsoInstant('9999-12-31T23:00:00-02:00')).toBeNull();
    });
  });

  describe('fractions of a second', () => {
    it.each([
      ['2021-07-27T16:02:08.5Z', '2021-07-27T16:02:08.500Z'],
      ['2021-07-27T16:02:08.12Z', '2021-07-27T16:02:08.120Z'],
      ['2021-07-27T16:02:08.123Z', '2021-07-27T16:02:08.123Z'],
      ['2021-07-27T16:02:08.123456Z', '2021-07-27T16:02:08.123Z'],
      ['2021-07-27T16:02:08.999999999Z', '2021-07-27T16:02:08.999Z'],
      ['2021-07-27T16:02:08,25Z', '2021-07-27T16:02:08.250Z'],
      ['2021-07-27T16:02:08.750+01:00', '2021-07-27T15:02:08.750Z'],
    ])('reads %s as %s', (input, expected) => {
      expect(parseIsoInstant(input)).toBe(expected);
    });

    it.each(['2021-07-27T16:02:08.Z', '2021-07-27T16:02:08.1234567890Z', '2021-07-27T16:02.5Z'])(
      'rejects the malformed fraction in %s',
      (input) => {
        expect(parseIsoInstant(input)).toBeNull();
      },
    );
  });

  describe('calendar validity', () => {
    it('accepts 29 February in a leap year', () => {
      expect(parseIsoInstant('2020-02-29')).toBe('2020-02-29T00:00:00.000Z');
      expect(parseIsoInstant('2000-02-29T12:00:00Z')).toBe('2000-02-29T12:00:00.000Z');
    });

    it.each(['2021-02-29', '1900-02-29', '2021-02-30', '2021-04-31', '2021-06-31', '2021-09-31', '2021-11-31', '2021-01-32'])(
      'rejects %s, which is not a day of the calendar',
      (input) => {
        expect(parseIsoInstant(input)).toBeNull();
      },
    );

    it.each(['2021-00-10', '2021-13-01', '2021-01-00', '0000-01-01'])('rejects the out-of-range field in %s', (input) => {
      expect(parseIsoInstant(input)).toBeNull();
    });

    it('accepts the last day of every 31-day month', () => {
      for (const month of ['01', '03', '05', '07', '08', '10', '12']) {
        expect(parseIsoInstant(`2021-${month}-31`)).toBe(`2021-${month}-31T00:00:00.000Z`);
      }
    });
  });

  describe('times of day', () => {
    it.each([
      '2021-07-27T24:00',
      '2021-07-27T24:00:00Z',
      '2021-07-27T23:60',
      '2021-07-27T23:60:00Z',
      '2021-07-27T23:59:60Z',
      '2021-07-27T25:00:00Z',
    ])('rejects %s', (input) => {
      expect(parseIsoInstant(input)).toBeNull();
    });
  });

  describe('garbage', () => {
    it.each([
      '',
      ' ',
      'garbage',
      'yesterday',
      '2021',
      '2021-07',
      '2021/07/27',
      '27-07-2021',
      '2021-7-27',
      '2021-07-27T',
      '2021-07-27T16',
      '2021-07-27T1:02',
      '2021-07-27Z',
      '2021-07-27T16:02:08ZZ',
      '2021-07-27T16:02:08 Z',
      ' 2021-07-27',
      '2021-07-27 ',
      '2021-07-27X16:02:08Z',
      '+2021-07-27',
      '12021-07-27',
      '2021-07-27T16:02:08+05:30junk',
      '1627401728',
    ])('rejects %j', (input) => {
      expect(parseIsoInstant(input)).toBeNull();
    });
  });
});

describe(`${parseIsoInstant.name} at the edges of the supported years`, () => {
  it('keeps an offset that lands exactly at the start of year 1', () => {
    expect(parseIsoInstant('0001-01-01T01:00:00+01:00')).toBe('0001-01-01T00:00:00.000Z');
  });

  it('keeps an offset that lands exactly at the end of year 9999', () => {
    expect(parseIsoInstant('9999-12-31T22:59:59.999-01:00')).toBe('9999-12-31T23:59:59.999Z');
  });

  it('rejects an offset that pushes the instant before year 1 (year 0000 is rejected as input too)', () => {
    // The function refuses '0000-…' as input, so it must not produce it either:
    // the result would not round-trip through parseIsoInstant, and PostgreSQL has no year 0.
    const result = parseIsoInstant('0001-01-01T00:00:00+01:00');
    expect(result).toBeNull();
  });
});
