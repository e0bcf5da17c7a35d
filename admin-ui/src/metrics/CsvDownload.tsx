import { useState } from 'preact/hooks';
import type { ShownProblem } from '../api/problem';
import { saveFile } from '../api/save-file';
import { ProblemAlert } from '../components/ProblemAlert';
import { metricsCsv } from './load-metrics';

/** The metric as the API's own CSV for the year shown. */
export function CsvDownload({ metric, year }: { metric: 'hiring_by_quarter' | 'departments_above_mean'; year: number }) {
  const [problem, setProblem] = useState<ShownProblem | null>(null);
  return (
    <>
      <button
        type="button"
        onClick={async () => {
          setProblem(null);
          const result = await metricsCsv(metric, year);
          if (result.ok) saveFile(result.data, `${metric}-${year}.csv`);
          else setProblem(result.problem);
        }}
      >
        Download CSV
      </button>
      {problem && <ProblemAlert problem={problem} />}
    </>
  );
}
