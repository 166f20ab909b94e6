/**
 * libstdc++'s `std::sort` (introsort: median-of-3 pivot, unguarded partition, heap sort past
 * the depth limit, then a final insertion sort), reproduced step for step. SuperFamiconv sorts
 * colour sets, palettes and colours with it; for more than 16 elements the result depends on
 * this exact algorithm, because it is not stable (convert.md §1.4 step 4). Written from the
 * algorithm's description in libstdc++'s bits/stl_algo.h and bits/stl_heap.h.
 */

/** libstdc++'s `_S_threshold`: below this many elements introsort leaves the range to insertion sort. */
const insertionSortThresholdInElements = 16;

/** Sorts `items` in place exactly as libstdc++'s `std::sort(first, last, less)` would. */
export function libstdcxxSort<T>(items: T[], less: (a: T, b: T) => boolean): void {
  const n = items.length;
  if (n < 2) return;
  introsortLoop(items, 0, n, 2 * Math.floor(Math.log2(n)), less);
  finalInsertionSort(items, 0, n, less);
}

function swap<T>(a: T[], i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

function introsortLoop<T>(a: T[], first: number, last: number, depthLimit: number, less: (x: T, y: T) => boolean): void {
  while (last - first > insertionSortThresholdInElements) {
    if (depthLimit === 0) {
      heapSort(a, first, last, less);
      return;
    }
    depthLimit--;
    const mid = first + ((last - first) >> 1);
    moveMedianToFirst(a, first, first + 1, mid, last - 1, less);
    const cut = unguardedPartition(a, first + 1, last, first, less);
    introsortLoop(a, cut, last, depthLimit, less);
    last = cut;
  }
}

function moveMedianToFirst<T>(a: T[], result: number, x: number, y: number, z: number, less: (p: T, q: T) => boolean): void {
  if (less(a[x]!, a[y]!)) {
    if (less(a[y]!, a[z]!)) swap(a, result, y);
    else if (less(a[x]!, a[z]!)) swap(a, result, z);
    else swap(a, result, x);
  } else if (less(a[x]!, a[z]!)) swap(a, result, x);
  else if (less(a[y]!, a[z]!)) swap(a, result, z);
  else swap(a, result, y);
}

function unguardedPartition<T>(a: T[], first: number, last: number, pivot: number, less: (p: T, q: T) => boolean): number {
  for (;;) {
    while (less(a[first]!, a[pivot]!)) first++;
    last--;
    while (less(a[pivot]!, a[last]!)) last--;
    if (!(first < last)) return first;
    swap(a, first, last);
    first++;
  }
}

function finalInsertionSort<T>(a: T[], first: number, last: number, less: (p: T, q: T) => boolean): void {
  if (last - first > insertionSortThresholdInElements) {
    insertionSort(a, first, first + insertionSortThresholdInElements, less);
    for (let i = first + insertionSortThresholdInElements; i < last; i++) unguardedLinearInsert(a, i, less);
  } else insertionSort(a, first, last, less);
}

function insertionSort<T>(a: T[], first: number, last: number, less: (p: T, q: T) => boolean): void {
  if (first === last) return;
  for (let i = first + 1; i < last; i++) {
    if (less(a[i]!, a[first]!)) {
      const value = a[i]!;
      for (let j = i; j > first; j--) a[j] = a[j - 1]!;
      a[first] = value;
    } else unguardedLinearInsert(a, i, less);
  }
}

function unguardedLinearInsert<T>(a: T[], at: number, less: (p: T, q: T) => boolean): void {
  const value = a[at]!;
  let next = at - 1;
  while (less(value, a[next]!)) {
    a[at] = a[next]!;
    at = next;
    next--;
  }
  a[at] = value;
}

function adjustHeap<T>(a: T[], first: number, holeIndex: number, length: number, value: T, less: (p: T, q: T) => boolean): void {
  const topIndex = holeIndex;
  let secondChild = holeIndex;
  while (secondChild < Math.floor((length - 1) / 2)) {
    secondChild = 2 * (secondChild + 1);
    if (less(a[first + secondChild]!, a[first + secondChild - 1]!)) secondChild--;
    a[first + holeIndex] = a[first + secondChild]!;
    holeIndex = secondChild;
  }
  if ((length & 1) === 0 && secondChild === Math.floor((length - 2) / 2)) {
    secondChild = 2 * (secondChild + 1);
    a[first + holeIndex] = a[first + secondChild - 1]!;
    holeIndex = secondChild - 1;
  }
  let parent = Math.floor((holeIndex - 1) / 2);
  while (holeIndex > topIndex && less(a[first + parent]!, value)) {
    a[first + holeIndex] = a[first + parent]!;
    holeIndex = parent;
    parent = Math.floor((holeIndex - 1) / 2);
  }
  a[first + holeIndex] = value;
}

function heapSort<T>(a: T[], first: number, last: number, less: (p: T, q: T) => boolean): void {
  const length = last - first;
  if (length >= 2) {
    for (let parent = Math.floor((length - 2) / 2); parent >= 0; parent--) adjustHeap(a, first, parent, length, a[first + parent]!, less);
  }
  for (let end = last; end - first > 1; ) {
    end--;
    const value = a[end]!;
    a[end] = a[first]!;
    adjustHeap(a, first, 0, end - first, value, less);
  }
}
