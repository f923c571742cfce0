/**
 * For node unit tests only: a fresh, empty fake-indexeddb database per call, with every
 * repository pointed at it. Never imported by app code (fake-indexeddb is a dev dependency).
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { AppDB, setDb } from './db';

let counter = 0;

/** A fresh IDBFactory, so no test sees another's databases. */
export function freshFactory(): { indexedDB: IDBFactory; IDBKeyRange: typeof IDBKeyRange } {
	return { indexedDB: new IDBFactory(), IDBKeyRange };
}

export function useTestDb(deps = freshFactory()): AppDB {
	const db = new AppDB(`tuneloop-test-${++counter}`, deps);
	setDb(db);
	return db;
}
