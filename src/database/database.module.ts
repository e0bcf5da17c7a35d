import { Global, Module } from '@nestjs/common';
import { TransactionRunner } from './transaction-runner';

/**
 * One TransactionRunner for the whole application: on SQLite it is what
 * serialises every unit of work on the one connection, so a second instance
 * (a module providing its own) would let two transactions interleave.
 */
@Global()
@Module({
  providers: [TransactionRunner],
  exports: [TransactionRunner],
})
export class DatabaseModule {}
