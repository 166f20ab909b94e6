// HAL encoders: inhal levels 1-4 (hal.md "Encoder") and the optimal parse (level max). A line
// by line port of src/codecs/hal/encode.ts and optimal.ts, the reference: same candidate order,
// same strict comparisons, same tie-breaks, so the bytes are identical. All state is local to a
// call (no statics), so threads never share anything.
#include <cstring>

#include "hal.h"
#include "hal_matches.h"
#include "hal_tables.h"

namespace romgfx {

namespace {

constexpr int32_t kShortCountLimit = 32;
constexpr int32_t kLongCountLimit = 1024;
constexpr int32_t kWordFillByteLimit = 2 * kLongCountLimit;

constexpr uint32_t kKindLiteral = 0;
constexpr uint32_t kKindByteFill = 1;
constexpr uint32_t kKindWordFill = 2;
constexpr uint32_t kKindCountingFill = 3;
constexpr uint32_t kKindForwardCopy = 4;
constexpr uint32_t kKindReversedCopy = 5;
constexpr uint32_t kKindBackwardCopy = 6;

constexpr int32_t kEmptySlot = -1;

inline uint32_t keyAt4(const uint8_t* d, int32_t i) {
  return (static_cast<uint32_t>(d[i]) << 24) | (static_cast<uint32_t>(d[i + 1]) << 16) | (static_cast<uint32_t>(d[i + 2]) << 8) | d[i + 3];
}

inline uint32_t keyAt3(const uint8_t* d, int32_t i) {
  return (static_cast<uint32_t>(d[i]) << 16) | (static_cast<uint32_t>(d[i + 1]) << 8) | d[i + 2];
}

// Index of fixed-width windows: the first occurrence of each window and a chain to the next
// occurrence of the same bytes, ascending (src/codecs/hal/window-index.ts).
class WindowIndex {
 public:
  bool build(const uint8_t* data, int width, int32_t lastWindow) {
    const int32_t count = lastWindow + 1 > 0 ? lastWindow + 1 : 0;
    bits_ = 4;
    while ((int64_t{1} << bits_) < int64_t{count} * 2) bits_++;
    mask_ = (1u << bits_) - 1;
    if (!keys_.reset(size_t{1} << bits_) || !first_.reset(size_t{1} << bits_) || !last_.reset(size_t{1} << bits_) ||
        !next_.reset(count > 0 ? count : 1))
      return false;
    first_.fill(kEmptySlot);
    next_.fill(kEmptySlot);
    for (int32_t w = 0; w < count; w++) {
      const uint32_t key = width == 4 ? keyAt4(data, w) : keyAt3(data, w);
      const uint32_t slot = slotFor(key);
      if (first_[slot] == kEmptySlot) {
        keys_[slot] = key;
        first_[slot] = w;
      } else {
        next_[static_cast<size_t>(last_[slot])] = w;
      }
      last_[slot] = w;
    }
    return true;
  }

  int32_t first(uint32_t key) const { return first_[slotFor(key)]; }
  const int32_t* next() const { return next_.data(); }

 private:
  uint32_t slotFor(uint32_t key) const {
    uint32_t slot = (key * 0x9e3779b1u) >> (32 - bits_);
    while (first_[slot] != kEmptySlot && keys_[slot] != key) slot = (slot + 1) & mask_;
    return slot;
  }

  uint32_t bits_ = 4;
  uint32_t mask_ = 15;
  HeapArray<uint32_t> keys_;
  HeapArray<int32_t> first_;
  HeapArray<int32_t> last_;
  HeapArray<int32_t> next_;
};

struct Candidate {
  uint32_t kind = 0;
  int32_t length = 0;
  uint32_t value = 0;
};

// inhal caps a word fill at 2,048 bytes only when the pair repeats at least that far; a run of
// 1,025-2,047 bytes gets the 1,024-byte cap of the other fills (its rle_candidate), and the rest
// is the next command. Same rule as inhalWordFillSize in src/codecs/hal/encode.ts.
inline int32_t inhalWordFillSize(int32_t size) {
  if (size >= kWordFillByteLimit) return kWordFillByteLimit;
  return size > kLongCountLimit ? kLongCountLimit : size;
}

// inhal's rle_check: the longest fill at i (length 0 when none is longer than 2 bytes).
inline void findFill(const uint8_t* data, int32_t n, int32_t i, bool fast, Candidate& c) {
  c = Candidate();
  const uint32_t first = data[i];
  int32_t size = 0;
  while (size <= kLongCountLimit && i + size < n && data[i + size] == first) size++;
  if (size > kLongCountLimit) size = kLongCountLimit;
  if (size >= 3) {
    c.kind = kKindByteFill;
    c.length = size;
    c.value = first;
  }
  if (i + 1 < n) {
    const uint32_t second = data[i + 1];
    size = 0;
    while (size <= kWordFillByteLimit && i + size < n - 1 && data[i + size] == first && data[i + size + 1] == second) size += 2;
    size = inhalWordFillSize(size);
    if (size >= 3 && size > c.length) {
      c.kind = kKindWordFill;
      c.length = size;
      c.value = first | (second << 8);
    }
  }
  if (fast) return;
  // inhal compares against an int: a counting fill never wraps past 0xFF.
  size = 0;
  while (size <= kLongCountLimit && i + size < n && data[i + size] == first + static_cast<uint32_t>(size)) size++;
  if (size > kLongCountLimit) size = kLongCountLimit;
  if (size >= 3 && size > c.length) {
    c.kind = kKindCountingFill;
    c.length = size;
    c.value = first;
  }
}

// Run lengths from every position, right to left, for the shortest-path levels (which need the
// fill candidate at every position: scanning up to 1,024 bytes each time is quadratic in runs).
// The fills they give are exactly findFill's.
struct FillRuns {
  HeapArray<int32_t> byteRun;      // equal bytes from i
  HeapArray<int32_t> pairRun;      // repeats of the pair (data[i], data[i+1]) from i, in pairs
  HeapArray<int32_t> countingRun;  // data[i], data[i]+1, ... without passing 0xFF

  bool build(const uint8_t* data, int32_t n) {
    if (!byteRun.reset(static_cast<size_t>(n) + 1) || !pairRun.reset(static_cast<size_t>(n) + 2) || !countingRun.reset(static_cast<size_t>(n) + 1))
      return false;
    for (int32_t i = n - 1; i >= 0; i--) {
      const uint32_t v = data[i];
      byteRun[i] = i + 1 < n && data[i + 1] == v ? byteRun[i + 1] + 1 : 1;
      if (i + 1 < n) pairRun[i] = i + 3 < n && data[i + 2] == v && data[i + 3] == data[i + 1] ? pairRun[i + 2] + 1 : 1;
      countingRun[i] = i + 1 < n && v != 0xff && data[i + 1] == v + 1 ? countingRun[i + 1] + 1 : 1;
    }
    return true;
  }

  // Same candidate as findFill(data, n, i, fast, c).
  inline void fill(const uint8_t* data, int32_t n, int32_t i, bool fast, Candidate& c) const {
    c = Candidate();
    int32_t size = byteRun[i] < kLongCountLimit ? byteRun[i] : kLongCountLimit;
    if (size >= 3) {
      c.kind = kKindByteFill;
      c.length = size;
      c.value = data[i];
    }
    if (i + 1 < n) {
      size = inhalWordFillSize(2 * pairRun[i]);
      if (size >= 3 && size > c.length) {
        c.kind = kKindWordFill;
        c.length = size;
        c.value = static_cast<uint32_t>(data[i]) | (static_cast<uint32_t>(data[i + 1]) << 8);
      }
    }
    if (fast) return;
    size = countingRun[i] < kLongCountLimit ? countingRun[i] : kLongCountLimit;
    if (size >= 3 && size > c.length) {
      c.kind = kKindCountingFill;
      c.length = size;
      c.value = data[i];
    }
  }
};

// inhal's ref_search: earliest source with the longest match per kind; strictly longer replaces.
inline void findCopy(const uint8_t* data, int32_t n, int32_t i, const WindowIndex& index, bool fast, Candidate& c) {
  const int32_t ceiling = n - i < kLongCountLimit ? n - i : kLongCountLimit;
  int32_t best = 0;
  uint32_t bestKind = 0;
  int32_t bestSource = 0;
  const int32_t* next = index.next();
  const uint8_t* at = data + i;

  for (int32_t p = index.first(keyAt4(data, i)); p >= 0 && p < i && best < ceiling; p = next[p]) {
    if (best > 0 && data[p + best] != at[best]) continue;
    int32_t size = 0;
    while (size < ceiling && data[p + size] == at[size]) size++;
    if (size > best) {
      best = size;
      bestKind = kKindForwardCopy;
      bestSource = p;
    }
  }
  if (!fast) {
    const uint32_t reversedKey = (static_cast<uint32_t>(kBitReversedByte[at[0]]) << 24) | (static_cast<uint32_t>(kBitReversedByte[at[1]]) << 16) |
                                 (static_cast<uint32_t>(kBitReversedByte[at[2]]) << 8) | kBitReversedByte[at[3]];
    for (int32_t p = index.first(reversedKey); p >= 0 && p < i && best < ceiling; p = next[p]) {
      if (best > 0 && data[p + best] != kBitReversedByte[at[best]]) continue;
      int32_t size = 0;
      while (size < ceiling && data[p + size] == kBitReversedByte[at[size]]) size++;
      if (size > best) {
        best = size;
        bestKind = kKindReversedCopy;
        bestSource = p;
      }
    }
    const uint32_t backwardKey = (static_cast<uint32_t>(at[3]) << 24) | (static_cast<uint32_t>(at[2]) << 16) | (static_cast<uint32_t>(at[1]) << 8) | at[0];
    for (int32_t w = index.first(backwardKey); w >= 0 && w + 3 < i && best < ceiling; w = next[w]) {
      const int32_t p = w + 3;
      if (best > 0 && (p < best || data[p - best] != at[best])) continue;
      // The match may run down to position 0 (L <= p + 1).
      const int32_t reach = ceiling < p + 1 ? ceiling : p + 1;
      int32_t size = 0;
      while (size < reach && data[p - size] == at[size]) size++;
      if (size > best) {
        best = size;
        bestKind = kKindBackwardCopy;
        bestSource = p;
      }
    }
  }
  if (best >= 4 && best > c.length) {
    c.kind = bestKind;
    c.length = best;
    c.value = static_cast<uint32_t>(bestSource);
  }
}

inline void findCandidate(const uint8_t* data, int32_t n, int32_t i, const WindowIndex& index, bool fast, Candidate& c) {
  findFill(data, n, i, fast, c);
  if (c.length < kLongCountLimit && n - i >= 4) findCopy(data, n, i, index, fast, c);
}

// A byte sink with a fixed capacity; a write past it marks the sink broken instead of writing.
class ByteSink {
 public:
  ByteSink(uint8_t* out, size_t capacity) : out_(out), capacity_(capacity) {}
  inline void put(uint32_t byte) {
    if (position_ < capacity_) out_[position_] = static_cast<uint8_t>(byte);
    else broken_ = true;
    position_++;
  }
  inline void putBytes(const uint8_t* bytes, size_t count) {
    if (count <= capacity_ && position_ <= capacity_ - count) std::memcpy(out_ + position_, bytes, count);
    else broken_ = true;
    position_ += count;
  }
  // One command header; for word fill `count` is in words (hal.md "Emission").
  inline void header(uint32_t kind, uint32_t count) {
    const uint32_t m = count - 1;
    if (m < static_cast<uint32_t>(kShortCountLimit)) {
      put((kind << 5) | m);
    } else {
      put(0xe0 | (kind << 2) | (m >> 8));
      put(m & 0xff);
    }
  }
  size_t position() const { return position_; }
  bool broken() const { return broken_; }

 private:
  uint8_t* out_;
  size_t capacity_;
  size_t position_ = 0;
  bool broken_ = false;
};

// Appends commands; literal bytes collect in a pending run (flushed at 1,024).
class StreamWriter {
 public:
  StreamWriter(const uint8_t* data, ByteSink& sink) : data_(data), sink_(sink) {}

  inline void literal(int32_t i) {
    if (literalCount_ == 0) literalStart_ = i;
    literalCount_++;
    if (literalCount_ == kLongCountLimit) flush();
  }

  inline void flush() {
    if (literalCount_ == 0) return;
    sink_.header(kKindLiteral, static_cast<uint32_t>(literalCount_));
    sink_.putBytes(data_ + literalStart_, static_cast<size_t>(literalCount_));
    literalCount_ = 0;
  }

  inline void command(uint32_t kind, int32_t length, uint32_t value) {
    flush();
    if (kind == kKindWordFill) {
      sink_.header(kind, static_cast<uint32_t>(length >> 1));
      sink_.put(value & 0xff);
      sink_.put(value >> 8);
    } else if (kind <= kKindCountingFill) {
      sink_.header(kind, static_cast<uint32_t>(length));
      sink_.put(value);
    } else {
      sink_.header(kind, static_cast<uint32_t>(length));
      sink_.put(value >> 8);
      sink_.put(value & 0xff);
    }
  }

 private:
  const uint8_t* data_;
  ByteSink& sink_;
  int32_t literalStart_ = 0;
  int32_t literalCount_ = 0;
};

// The encoded size inhal's shortest path assigns a candidate (word fill costed by bytes).
inline int32_t inhalEdgeCost(uint32_t kind, int32_t length) {
  if (kind >= kKindForwardCopy) return length - 1 >= kShortCountLimit ? 4 : 3;
  const int32_t base = length - 1 >= kShortCountLimit ? 3 : 2;
  return kind == kKindWordFill ? base + 1 : base;
}

// Hands the sink's bytes to the result, or the failure that applies.
void finishResult(HeapArray<uint8_t>& buffer, ByteSink& sink, HalEncodeResult* result) {
  if (sink.position() > kMaximumHalPackedSizeInBytes) {
    result->status = kStatusHalPackedTooLarge;
    result->packedSize = sink.position();
    return;
  }
  if (sink.broken()) {
    // Cannot happen (the capacity bounds every stream); refuse rather than return a short stream.
    result->status = kStatusBadArgument;
    return;
  }
  uint8_t* data = static_cast<uint8_t*>(std::malloc(sink.position() == 0 ? 1 : sink.position()));
  if (data == nullptr) {
    result->status = kStatusOutOfMemory;
    return;
  }
  std::memcpy(data, buffer.data(), sink.position());
  result->status = kStatusOk;
  result->data = data;
  result->size = sink.position();
}

// Every HAL stream an encoder here writes is at most 2 bytes per input byte (a 1-byte literal
// run) plus the terminator; commands never expand their input.
inline size_t streamCapacity(size_t n) { return 2 * n + 16; }

// Range-minimum queries over values filled right to left (src/codecs/range-min.ts): answers
// "the highest index holding the minimum" over first, first+stride, ..., last.
class IncrementalRangeMin {
 public:
  bool init(const int32_t* values, int32_t size, int32_t maximumSpanInSteps, int32_t stride) {
    values_ = values;
    size_ = size;
    stride_ = stride;
    levelCount_ = 1;
    while ((1 << (levelCount_ - 1)) < maximumSpanInSteps) levelCount_++;
    return levels_.reset(static_cast<size_t>(levelCount_) * static_cast<size_t>(size));
  }

  inline int32_t better(int32_t a, int32_t b) const {
    const int32_t va = values_[a];
    const int32_t vb = values_[b];
    return vb < va || (vb == va && b > a) ? b : a;
  }

  inline void commit(int32_t i) {
    int32_t* levels = levels_.data();
    levels[i] = i;
    for (int32_t k = 1; k < levelCount_; k++) {
      const int32_t half = (1 << (k - 1)) * stride_;
      if (i + 2 * half - stride_ >= size_) break;
      levels[static_cast<size_t>(k) * size_ + i] =
          better(levels[static_cast<size_t>(k - 1) * size_ + i], levels[static_cast<size_t>(k - 1) * size_ + i + half]);
    }
  }

  inline int32_t argmin(int32_t first, int32_t last) const {
    const int32_t steps = (last - first) / stride_ + 1;
    const int32_t k = 31 - __builtin_clz(static_cast<uint32_t>(steps));
    const int32_t* level = levels_.data() + static_cast<size_t>(k) * size_;
    return better(level[first], level[last - ((1 << k) - 1) * stride_]);
  }

 private:
  const int32_t* values_ = nullptr;
  int32_t size_ = 0;
  int32_t stride_ = 1;
  int32_t levelCount_ = 1;
  HeapArray<int32_t> levels_;
};

inline int32_t minInt(int32_t a, int32_t b) { return a < b ? a : b; }

}  // namespace

void halEncodeInhal(const uint8_t* data, size_t size, int level, HalEncodeResult* result) {
  *result = HalEncodeResult();
  if (size > kMaximumHalOutputSizeInBytes) {
    result->status = kStatusHalInputTooLarge;
    return;
  }
  if (level < 1 || level > 4) {
    result->status = kStatusBadArgument;
    return;
  }
  const int32_t n = static_cast<int32_t>(size);
  const bool fast = level == 1 || level == 3;
  WindowIndex index;
  HeapArray<uint8_t> buffer(streamCapacity(size));
  // inhal indexes the 4-byte windows starting at 0 ... n-5 (greedy levels only).
  if (!buffer.ok() || (level <= 2 && !index.build(data, 4, n - 5))) {
    result->status = kStatusOutOfMemory;
    return;
  }
  ByteSink sink(buffer.data(), buffer.size());
  StreamWriter writer(data, sink);
  Candidate c;
  if (level <= 2) {
    int32_t i = 0;
    while (i < n) {
      findCandidate(data, n, i, index, fast, c);
      if (c.length > 0) {
        writer.command(c.kind, c.length, c.value);
        i += c.length;
      } else {
        writer.literal(i);
        i++;
      }
    }
  } else {
    // Shortest path over one candidate edge per position plus a literal edge of cost 2.
    HeapArray<uint8_t> edgeKind(size);
    HeapArray<int32_t> edgeLength(size);
    HeapArray<uint32_t> edgeValue(size);
    HeapArray<int32_t> distance(size + 1);
    HeapArray<int32_t> previous(size + 1);
    HeapArray<int32_t> nextOnPath(size + 1);
    if (!edgeKind.ok() || !edgeLength.ok() || !edgeValue.ok() || !distance.ok() || !previous.ok() || !nextOnPath.ok()) {
      result->status = kStatusOutOfMemory;
      return;
    }
    // Every position needs its copy candidate, so they come from the suffix-array search (same
    // rule: earliest source of the longest copy), which stays O(n log n) on repetitive data.
    CopyMatches copies;
    FillRuns runs;
    if (!findCopyMatches(data, n, true, fast, copies) || !runs.build(data, n)) {
      result->status = kStatusOutOfMemory;
      return;
    }
    for (int32_t i = 0; i < n; i++) {
      runs.fill(data, n, i, fast, c);
      const int32_t copyLength = copies.length[i];
      if (c.length < kLongCountLimit && copyLength > c.length) {
        c.kind = copies.kind[i];
        c.length = copyLength;
        c.value = static_cast<uint32_t>(copies.source[i]);
      }
      edgeKind[i] = static_cast<uint8_t>(c.kind);
      edgeLength[i] = c.length;
      edgeValue[i] = c.value;
    }
    distance.fill(0x7fffffff);
    previous.fill(-1);
    nextOnPath.fill(-1);
    distance[0] = 0;
    for (int32_t i = 0; i < n; i++) {
      const int32_t here = distance[i];
      // Strict comparisons: on a tie the first path found (lowest source) stays.
      if (here + 2 < distance[i + 1]) {
        distance[i + 1] = here + 2;
        previous[i + 1] = i;
      }
      const int32_t length = edgeLength[i];
      if (length == 0) continue;
      const int32_t cost = here + inhalEdgeCost(edgeKind[i], length);
      if (cost < distance[i + length]) {
        distance[i + length] = cost;
        previous[i + length] = i;
      }
    }
    for (int32_t node = n; node > 0; node = previous[node]) nextOnPath[previous[node]] = node;
    for (int32_t node = 0; node < n;) {
      const int32_t target = nextOnPath[node];
      if (target == node + 1) writer.literal(node);
      else writer.command(edgeKind[node], edgeLength[node], edgeValue[node]);
      // Every node on the path has a successor after it; guard anyway so the loop always advances.
      if (target <= node) {
        result->status = kStatusBadArgument;
        return;
      }
      node = target;
    }
  }
  writer.flush();
  sink.put(0xff);
  finishResult(buffer, sink, result);
}

void halEncodeOptimal(const uint8_t* data, size_t size, HalEncodeResult* result) {
  *result = HalEncodeResult();
  if (size > kMaximumHalOutputSizeInBytes) {
    result->status = kStatusHalInputTooLarge;
    return;
  }
  const int32_t n = static_cast<int32_t>(size);

  // The longest copy (any kind, >= 3 bytes, capped at 1,024) at every position, with its source.
  CopyMatches copies;
  if (!findCopyMatches(data, n, false, false, copies)) {
    result->status = kStatusOutOfMemory;
    return;
  }
  const int32_t* copyLengthAt = copies.length.data();
  const uint8_t* copyKindAt = copies.kind.data();
  const int32_t* copySourceAt = copies.source.data();

  // Run lengths from each position, right to left (capped at what one command holds).
  HeapArray<int32_t> byteRun(size + 1);
  HeapArray<int32_t> countingRun(size + 1);
  HeapArray<int32_t> wordRunInBytes(size + 2);
  HeapArray<int32_t> cost(size + 1);
  HeapArray<int32_t> literalKey(size + 1);
  HeapArray<uint8_t> choiceKind(size + 1);
  HeapArray<int32_t> choiceLength(size + 1);
  IncrementalRangeMin costMin;
  IncrementalRangeMin costMinEven;
  IncrementalRangeMin literalMin;
  if (!byteRun.ok() || !countingRun.ok() || !wordRunInBytes.ok() || !cost.ok() || !literalKey.ok() || !choiceKind.ok() || !choiceLength.ok() ||
      !costMin.init(cost.data(), n + 1, kLongCountLimit, 1) || !costMinEven.init(cost.data(), n + 1, kLongCountLimit, 2) ||
      !literalMin.init(literalKey.data(), n + 1, kLongCountLimit, 1)) {
    result->status = kStatusOutOfMemory;
    return;
  }
  for (int32_t i = n - 1; i >= 0; i--) {
    const uint32_t v = data[i];
    byteRun[i] = i + 1 < n && data[i + 1] == v ? minInt(byteRun[i + 1] + 1, kLongCountLimit) : 1;
    countingRun[i] = i + 1 < n && data[i + 1] == ((v + 1) & 0xff) ? minInt(countingRun[i + 1] + 1, kLongCountLimit) : 1;
    if (i + 1 < n) {
      wordRunInBytes[i] = i + 3 < n && data[i + 2] == v && data[i + 3] == data[i + 1] ? minInt(wordRunInBytes[i + 2] + 2, kWordFillByteLimit) : 2;
    }
  }

  cost[n] = 0;
  literalKey[n] = n;
  costMin.commit(n);
  costMinEven.commit(n);
  literalMin.commit(n);

  for (int32_t i = n - 1; i >= 0; i--) {
    const int32_t remaining = n - i;
    int32_t bestCost = 0x7fffffff;
    uint32_t bestKind = kKindLiteral;
    int32_t bestLength = 1;

    // Literal runs: short header for 1..32 bytes, long header for 33..1,024.
    int32_t j = literalMin.argmin(i + 1, i + minInt(kShortCountLimit, remaining));
    int32_t c = 1 + literalKey[j] - i;
    if (c < bestCost) {
      bestCost = c;
      bestLength = j - i;
    }
    if (remaining > kShortCountLimit) {
      j = literalMin.argmin(i + kShortCountLimit + 1, i + minInt(kLongCountLimit, remaining));
      c = 2 + literalKey[j] - i;
      if (c < bestCost) {
        bestCost = c;
        bestLength = j - i;
      }
    }

    // Byte and counting fills cost the same; the longer one offers every length the other does.
    const int32_t byteLength = byteRun[i];
    const int32_t countingLength = countingRun[i];
    const int32_t fillLength = byteLength > countingLength ? byteLength : countingLength;
    if (fillLength >= 2) {
      const uint32_t fillKind = byteLength >= countingLength ? kKindByteFill : kKindCountingFill;
      j = costMin.argmin(i + 2, i + minInt(kShortCountLimit, fillLength));
      c = 2 + cost[j];
      if (c < bestCost) {
        bestCost = c;
        bestKind = fillKind;
        bestLength = j - i;
      }
      if (fillLength > kShortCountLimit) {
        j = costMin.argmin(i + kShortCountLimit + 1, i + fillLength);
        c = 3 + cost[j];
        if (c < bestCost) {
          bestCost = c;
          bestKind = fillKind;
          bestLength = j - i;
        }
      }
    }

    // Word fills: even lengths only, 3 bytes up to 32 words, 4 beyond.
    const int32_t words = wordRunInBytes[i] >> 1;
    if (words >= 2) {
      j = costMinEven.argmin(i + 4, i + 2 * minInt(kShortCountLimit, words));
      c = 3 + cost[j];
      if (c < bestCost) {
        bestCost = c;
        bestKind = kKindWordFill;
        bestLength = j - i;
      }
      if (words > kShortCountLimit) {
        j = costMinEven.argmin(i + 2 * (kShortCountLimit + 1), i + 2 * words);
        c = 4 + cost[j];
        if (c < bestCost) {
          bestCost = c;
          bestKind = kKindWordFill;
          bestLength = j - i;
        }
      }
    }

    // Copies: 3 bytes up to 32, 4 beyond; the longest copy offers every shorter length.
    const int32_t copyLength = copyLengthAt[i];
    if (copyLength >= 3) {
      const uint32_t copyKind = copyKindAt[i];
      j = costMin.argmin(i + 3, i + minInt(kShortCountLimit, copyLength));
      c = 3 + cost[j];
      if (c < bestCost) {
        bestCost = c;
        bestKind = copyKind;
        bestLength = j - i;
      }
      if (copyLength > kShortCountLimit) {
        j = costMin.argmin(i + kShortCountLimit + 1, i + copyLength);
        c = 4 + cost[j];
        if (c < bestCost) {
          bestCost = c;
          bestKind = copyKind;
          bestLength = j - i;
        }
      }
    }

    cost[i] = bestCost;
    literalKey[i] = bestCost + i;
    choiceKind[i] = static_cast<uint8_t>(bestKind);
    choiceLength[i] = bestLength;
    costMin.commit(i);
    costMinEven.commit(i);
    literalMin.commit(i);
  }

  const size_t packedLength = static_cast<size_t>(cost[0]) + 1;
  if (packedLength > kMaximumHalPackedSizeInBytes) {
    result->status = kStatusHalPackedTooLarge;
    result->packedSize = packedLength;
    return;
  }
  HeapArray<uint8_t> buffer(packedLength);
  if (!buffer.ok()) {
    result->status = kStatusOutOfMemory;
    return;
  }
  ByteSink sink(buffer.data(), buffer.size());
  for (int32_t i = 0; i < n;) {
    const uint32_t kind = choiceKind[i];
    const int32_t length = choiceLength[i];
    switch (kind) {
      case kKindLiteral:
        sink.header(kind, static_cast<uint32_t>(length));
        sink.putBytes(data + i, static_cast<size_t>(length));
        break;
      case kKindByteFill:
      case kKindCountingFill:
        sink.header(kind, static_cast<uint32_t>(length));
        sink.put(data[i]);
        break;
      case kKindWordFill:
        sink.header(kind, static_cast<uint32_t>(length >> 1));
        sink.put(data[i]);
        sink.put(data[i + 1]);
        break;
      default: {
        // A prefix of the longest copy: for a backward copy the source is where it starts reading.
        const uint32_t source = static_cast<uint32_t>(copySourceAt[i]);
        sink.header(kind, static_cast<uint32_t>(length));
        sink.put(source >> 8);
        sink.put(source & 0xff);
        break;
      }
    }
    // Every choice covers at least one byte; the loop always advances.
    i += length > 0 ? length : 1;
  }
  sink.put(0xff);
  finishResult(buffer, sink, result);
}

}  // namespace romgfx
