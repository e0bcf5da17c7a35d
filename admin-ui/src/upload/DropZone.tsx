import { useState } from 'preact/hooks';
import { formatBytes } from '../lib/format';

/**
 * The native file input (keyboard and screen readers know it) inside a zone
 * that also takes a dropped file.
 */
export function DropZone({ file, onFile, disabled }: { file: File | null; onFile: (file: File) => void; disabled: boolean }) {
  const [over, setOver] = useState(false);
  return (
    <div
      class={`dropzone${over ? ' over' : ''}`}
      onDragOver={(event) => {
        event.preventDefault();
        if (!disabled) setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(event) => {
        event.preventDefault();
        setOver(false);
        const dropped = event.dataTransfer?.files[0];
        if (dropped && !disabled) onFile(dropped);
      }}
    >
      <label for="upload-file">CSV file</label>
      <input
        id="upload-file"
        type="file"
        accept=".csv,.txt,text/csv,text/plain"
        disabled={disabled}
        onChange={(event) => {
          const chosen = event.currentTarget.files?.[0];
          if (chosen) onFile(chosen);
        }}
      />
      <p class="muted small">
        {file ? `${file.name}, ${formatBytes(file.size)}` : 'Choose a file, or drop one here.'}
      </p>
    </div>
  );
}
