import { useState } from 'preact/hooks';
import { BarChart } from '../chart/BarChart';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { ProblemAlert } from '../components/ProblemAlert';
import { useLoad } from '../lib/useLoad';
import { AboveMeanTable } from '../metrics/AboveMeanTable';
import { QUARTERS, byDepartment } from '../metrics/by-department';
import { CsvDownload } from '../metrics/CsvDownload';
import { loadMetrics, type Metrics } from '../metrics/load-metrics';
import { QuarterTable } from '../metrics/QuarterTable';
import { YearPicker } from '../metrics/YearPicker';

/** Hires by quarter and departments above the mean, for a year (by default the latest with hires). */
export function MetricsPage() {
  const [year, setYear] = useState<number | null>(null);
  const metrics = useLoad(() => loadMetrics(year), [year]);
  const shown = metrics.status === 'ok' ? metrics.data.year : year;

  return (
    <>
      <PageHeading>Metrics</PageHeading>
      <YearPicker year={shown} onYear={setYear} />
      {metrics.status === 'loading' && <Loading what="metrics" />}
      {metrics.status === 'error' && <ProblemAlert problem={metrics.problem} onRetry={metrics.reload} />}
      {metrics.status === 'ok' && metrics.data.year === null && <p>No hires yet: load employees first.</p>}
      {metrics.status === 'ok' && metrics.data.year !== null && (
        <MetricsOfYear {...metrics.data} year={metrics.data.year} />
      )}
    </>
  );
}

function MetricsOfYear({ year, quarters, aboveMean, mean: { value: mean, hires, departments: departmentCount } }: Omit<Metrics, 'year'> & { year: number }) {
  const departments = byDepartment(quarters);
  return (
    <>
      <section aria-labelledby="quarters-heading">
        <div class="section-head">
          <h2 id="quarters-heading">Hires by quarter, {year}</h2>
          <CsvDownload metric="hiring_by_quarter" year={year} />
        </div>
        {departments.length === 0 ? (
          <p>No hires in {year}.</p>
        ) : (
          <>
            <BarChart
              id="hiring-chart"
              title={`Hires per department in ${year}, stacked by quarter`}
              series={QUARTERS}
              bars={departments.map((d) => ({ label: d.department, values: d.quarters }))}
            />
            <QuarterTable rows={quarters} year={year} />
          </>
        )}
      </section>
      <section aria-labelledby="above-heading">
        <div class="section-head">
          <h2 id="above-heading">Departments above the mean, {year}</h2>
          <CsvDownload metric="departments_above_mean" year={year} />
        </div>
        <p class="muted">
          Mean: {mean.toFixed(2)} hires per department ({hires} hires, {departmentCount} departments).
        </p>
        {aboveMean.length === 0 ? (
          <p>No department hired more than the mean in {year}.</p>
        ) : (
          <>
            <BarChart
              id="above-mean-chart"
              title={`Departments that hired more than the mean (${mean.toFixed(2)}) in ${year}`}
              series={['Hired']}
              bars={aboveMean.map((d) => ({ label: d.department, values: [d.hired] }))}
              marker={{ value: mean, label: `mean ${mean.toFixed(2)}` }}
            />
            <AboveMeanTable rows={aboveMean} year={year} />
          </>
        )}
      </section>
    </>
  );
}
