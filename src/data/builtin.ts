/**
 * Built-in datasets the page fetches with no upload: public/data/<name>-train.bin and
 * <name>-test.bin, generated at build time by `npx tsx scripts/build-data.ts`.
 */
import type { LoadedData } from './types';
import { DataError } from './errors';
import { decodePacked } from './packed';

export type BuiltinName = 'cifar10' | 'mnist';
export const BUILTIN_NAMES: readonly BuiltinName[] = ['cifar10', 'mnist'];

type FetchFn = (url: string) => Promise<{ ok: boolean; status: number; arrayBuffer(): Promise<ArrayBuffer> }>;

export async function loadBuiltin(name: BuiltinName, fetchFn: FetchFn = (u) => fetch(u), baseUrl = '/data/'): Promise<LoadedData> {
  const get = async (split: string) => {
    const url = `${baseUrl}${name}-${split}.bin`;
    let res: Awaited<ReturnType<FetchFn>>;
    try {
      res = await fetchFn(url);
    } catch (e) {
      throw new DataError(`Built-in dataset ${name}: could not fetch ${url} (${(e as Error).message}).`);
    }
    if (!res.ok) {
      throw new DataError(`Built-in dataset ${name}: ${url} answered HTTP ${res.status}; expected the file made by \`npm run build-data\`.`);
    }
    return decodePacked(url, new Uint8Array(await res.arrayBuffer()));
  };
  const [train, test] = await Promise.all([get('train'), get('test')]);
  return { train, test, notes: [] };
}
