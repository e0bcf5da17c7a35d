import { useEffect, useState } from 'preact/hooks';

const MIN_YEAR = 1900;
const MAX_YEAR = 2100;

/** A four-digit year, applied on submit; it shows the year answered when none was asked. */
export function YearPicker({ year, onYear }: { year: number | null; onYear: (year: number) => void }) {
  const [text, setText] = useState(year === null ? '' : String(year));
  useEffect(() => setText(year === null ? '' : String(year)), [year]);
  return (
    <form
      class="filters"
      aria-label="Choose the year"
      onSubmit={(event) => {
        event.preventDefault();
        const value = Number(text);
        if (Number.isInteger(value) && value >= MIN_YEAR && value <= MAX_YEAR) onYear(value);
      }}
    >
      <div class="field">
        <label for="metrics-year">Year</label>
        <input id="metrics-year" type="number" min={MIN_YEAR} max={MAX_YEAR} step={1} required value={text} onInput={(e) => setText(e.currentTarget.value)} />
      </div>
      <div class="actions">
        <button type="submit">Show</button>
      </div>
    </form>
  );
}
