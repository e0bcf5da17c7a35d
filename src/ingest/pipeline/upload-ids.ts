import { RoaringBitmap32 } from 'roaring-wasm';

/**
 * The ids an upload has accepted so far, to tell the first row of an id from
 * later ones. A compressed bitmap: uploads reach tens of millions of rows
 * under a 256 MB heap, where a Set would take ~40 MB per million ids and a
 * bitmap takes a few MB in all. Ids are positive 32-bit integers, within its
 * range. It lives in WebAssembly memory, which the garbage collector never
 * frees: whoever creates one disposes of it.
 */
export class UploadIds {
  private readonly ids = new RoaringBitmap32();

  /** Records `id`; false when it was already recorded. */
  firstTime(id: number): boolean {
    return this.ids.tryAdd(id);
  }

  /** The row that recorded `id` was rejected after all: a later row of that id comes first. */
  forget(id: number): void {
    this.ids.delete(id);
  }

  has(id: number): boolean {
    return this.ids.has(id);
  }

  dispose(): void {
    this.ids.dispose();
  }
}
