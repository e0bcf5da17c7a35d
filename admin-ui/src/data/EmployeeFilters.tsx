import { useState } from 'preact/hooks';

export interface EmployeeFilter {
  readonly department_id?: number;
  readonly job_id?: number;
  readonly hired_from?: string;
  readonly hired_to?: string;
}

/** Text fields to filter values: empty means "any"; ids are whole numbers, dates ISO 8601. */
export function filterFromFields(fields: Record<keyof EmployeeFilter, string>): EmployeeFilter {
  const id = (text: string): number | undefined => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined);
  const text = (value: string): string | undefined => value.trim() || undefined;
  const filter: EmployeeFilter = {
    department_id: id(fields.department_id),
    job_id: id(fields.job_id),
    hired_from: text(fields.hired_from),
    hired_to: text(fields.hired_to),
  };
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)) as EmployeeFilter;
}

const EMPTY = { department_id: '', job_id: '', hired_from: '', hired_to: '' };

/** The employee list's filters, applied on submit (Enter in any field), not on every keystroke. */
export function EmployeeFilters({ onApply }: { onApply: (filter: EmployeeFilter) => void }) {
  const [fields, setFields] = useState(EMPTY);
  const input = (name: keyof typeof EMPTY, label: string, type: 'number' | 'date') => (
    <div class="field">
      <label for={`filter-${name}`}>{label}</label>
      <input
        id={`filter-${name}`}
        type={type}
        min={type === 'number' ? 1 : undefined}
        inputMode={type === 'number' ? 'numeric' : undefined}
        value={fields[name]}
        onInput={(e) => setFields({ ...fields, [name]: e.currentTarget.value })}
      />
    </div>
  );
  return (
    <form
      class="filters"
      aria-label="Filter employees"
      onSubmit={(event) => {
        event.preventDefault();
        onApply(filterFromFields(fields));
      }}
    >
      {input('department_id', 'Department id', 'number')}
      {input('job_id', 'Job id', 'number')}
      {input('hired_from', 'Hired from', 'date')}
      {input('hired_to', 'Hired to', 'date')}
      <div class="actions">
        <button type="submit">Apply filters</button>
        <button
          type="button"
          onClick={() => {
            setFields(EMPTY);
            onApply({});
          }}
        >
          Clear
        </button>
      </div>
    </form>
  );
}
