/** A labelled select over a fixed list, with an "all" choice for filters. */
export function Select<T extends string>({
  id,
  label,
  value,
  choices,
  allLabel,
  onChange,
}: {
  id: string;
  label: string;
  value: T | '';
  choices: readonly T[];
  allLabel?: string;
  onChange: (value: T | '') => void;
}) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value as T | '')}>
        {allLabel !== undefined && <option value="">{allLabel}</option>}
        {choices.map((choice) => (
          <option key={choice} value={choice}>
            {choice.replace(/_/g, ' ')}
          </option>
        ))}
      </select>
    </div>
  );
}
