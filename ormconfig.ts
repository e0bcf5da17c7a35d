import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from './src/config/load-config';
import { buildDataSourceOptions } from './src/database/data-source-options';

/** The DataSource of the TypeORM CLI (npm run migration:run / migration:revert). */
export default new DataSource(buildDataSourceOptions(loadConfig().database.url));
