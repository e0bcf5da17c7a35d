// The API's shapes as the UI uses them, all taken from the generated client types.
import type { components, paths } from './generated/api';

type Schemas = components['schemas'];

export type Problem = Schemas['ProblemDto'];
export type RowError = Schemas['RowError'];
export type Ingestion = Schemas['IngestionDto'];
export type IngestionReport = Schemas['IngestionReportDto'];
export type IngestionDetail = Schemas['IngestionDetailDto'];
export type Detected = Schemas['DetectedSourceDto'];
export type QuarterHires = Schemas['QuarterHiresDto'];
export type DepartmentHires = Schemas['DepartmentHiresDto'];
export type Department = Schemas['DepartmentDto'];
export type Job = Schemas['JobDto'];
export type Employee = Schemas['EmployeeDto'];
export type IngestDefaults = Schemas['IngestDefaultsDto'];

export type TableName = Ingestion['table'];
export const TABLES: readonly TableName[] = ['departments', 'jobs', 'employees'];

export type IngestionStatus = Ingestion['status'];
export const STATUSES: readonly IngestionStatus[] = ['queued', 'running', 'succeeded', 'succeeded_with_rejects', 'failed', 'interrupted'];

/** The upload the UI sends: POST /ingest/csv, the table as a form field (or none: the service infers it). */
export type IngestCsv = paths['/ingest/csv']['post'];
export type UploadFields = IngestCsv['requestBody']['content']['multipart/form-data'];
export type RowsRejected = IngestCsv['responses'][422]['content']['application/problem+json'];
export type UploadQueued = IngestCsv['responses'][202]['content']['application/json'];
