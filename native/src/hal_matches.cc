// Exact longest-copy search for every position at once, in O(N log N) whatever the input: the
// port of src/codecs/hal/suffix-matches.ts (the reference), with the same choices of kind and
// source, so the encoders built on it give the same bytes.
//
// One suffix array over S # T $ R % (S the data, T its bit-reversed bytes, R the data
// backwards; unique separators stop every common prefix at its own string's end). A forward copy
// from p < i is a common prefix of S[i..] and S[p..], a bit-reversed one of S[i..] and T[p..], a
// backward one of S[i..] and R[n-1-p..]. The longest of a kind from any live p < i is the longer
// common prefix with the nearest live suffix of that kind on either side of S[i..] in suffix
// order; positions are visited from n-1 down, deleting each source as it stops being before i.
#include "hal_matches.h"

#include <cstring>

#include "hal_tables.h"

namespace romgfx {

namespace {

constexpr int32_t kLongCountLimit = 1024;
constexpr uint8_t kKindForwardCopy = 4;
constexpr uint8_t kKindReversedCopy = 5;
constexpr uint8_t kKindBackwardCopy = 6;
constexpr int32_t kUnused = 0x7fffffff;

inline int32_t floorLog2(uint32_t value) { return 31 - __builtin_clz(value); }

// Suffix array of s[0..n) (values < alphabet) by prefix doubling with radix sorts. Every suffix
// of S#T$R% is distinct, so any correct construction gives the reference's array.
bool buildSuffixArray(const int32_t* s, int32_t n, int32_t alphabet, int32_t* sa) {
  HeapArray<int32_t> rankA(n), rankB(n), order(n), count((alphabet > n ? alphabet : n) + 1);
  if (!rankA.ok() || !rankB.ok() || !order.ok() || !count.ok()) return false;
  int32_t* rank = rankA.data();
  int32_t* next = rankB.data();
  const int32_t countSize = static_cast<int32_t>(count.size());
  for (int32_t i = 0; i < n; i++) count[s[i]]++;
  for (int32_t v = 1; v < countSize; v++) count[v] += count[v - 1];
  for (int32_t i = n - 1; i >= 0; i--) sa[--count[s[i]]] = i;
  std::memcpy(rank, s, sizeof(int32_t) * static_cast<size_t>(n));
  for (int32_t k = 1;; k <<= 1) {
    // Order by the second key (rank[i + k], absent first), then a stable counting sort by rank[i].
    int32_t p = 0;
    for (int32_t i = n - k; i < n; i++)
      if (i >= 0) order[p++] = i;
    for (int32_t j = 0; j < n; j++)
      if (sa[j] >= k) order[p++] = sa[j] - k;
    std::memset(count.data(), 0, sizeof(int32_t) * count.size());
    for (int32_t i = 0; i < n; i++) count[rank[i]]++;
    for (int32_t v = 1; v < countSize; v++) count[v] += count[v - 1];
    for (int32_t j = n - 1; j >= 0; j--) sa[--count[rank[order[j]]]] = order[j];
    next[sa[0]] = 0;
    int32_t classes = 1;
    for (int32_t j = 1; j < n; j++) {
      const int32_t a = sa[j - 1];
      const int32_t b = sa[j];
      const int32_t secondA = a + k < n ? rank[a + k] : -1;
      const int32_t secondB = b + k < n ? rank[b + k] : -1;
      if (rank[a] != rank[b] || secondA != secondB) classes++;
      next[b] = classes - 1;
    }
    int32_t* swap = rank;
    rank = next;
    next = swap;
    if (classes == n || k >= n) break;
  }
  return true;
}

// Range minima over a fixed array in blocks of 32 values: ranges are walked over contiguous
// memory inside blocks, and whole blocks come from a sparse table of block minima (small enough
// to stay in cache; a sparse table over all 196,611 values of a 64 KiB input is 14 MB and every
// query on it is a cache miss).
class BlockMin {
 public:
  static constexpr int32_t kShift = 5;
  static constexpr int32_t kBlock = 1 << kShift;

  bool build(const int32_t* values, int32_t size) {
    values_ = values;
    size_ = size;
    blocks_ = size > 0 ? ((size - 1) >> kShift) + 1 : 1;
    levelCount_ = floorLog2(static_cast<uint32_t>(blocks_)) + 1;
    if (!table_.reset(static_cast<size_t>(levelCount_) * static_cast<size_t>(blocks_))) return false;
    int32_t* base = table_.data();
    for (int32_t b = 0; b < blocks_; b++) {
      const int32_t first = b << kShift;
      const int32_t last = first + kBlock - 1 < size - 1 ? first + kBlock - 1 : size - 1;
      int32_t m = kNoValue;
      for (int32_t i = first; i <= last; i++)
        if (values[i] < m) m = values[i];
      base[b] = m;
    }
    for (int32_t k = 1; k < levelCount_; k++) {
      const int32_t half = 1 << (k - 1);
      const int32_t* previous = base + static_cast<size_t>(k - 1) * blocks_;
      int32_t* current = base + static_cast<size_t>(k) * blocks_;
      const int32_t count = blocks_ - (1 << k) + 1;
      for (int32_t b = 0; b < count; b++) current[b] = previous[b] < previous[b + half] ? previous[b] : previous[b + half];
    }
    return true;
  }

  // Minimum over values[first..last], first <= last.
  int32_t min(int32_t first, int32_t last) const {
    const int32_t firstBlock = first >> kShift;
    const int32_t lastBlock = last >> kShift;
    if (lastBlock - firstBlock < 2) return scan(first, last);
    int32_t m = scan(first, ((firstBlock + 1) << kShift) - 1);
    const int32_t tail = scan(lastBlock << kShift, last);
    if (tail < m) m = tail;
    const int32_t middle = blockMin(firstBlock + 1, lastBlock - 1);
    return middle < m ? middle : m;
  }

  // The largest t <= from with t == 0 or values[t] < bound (values[0] is never tested).
  int32_t firstBelowDown(int32_t from, int32_t bound) const {
    int32_t t = from;
    const int32_t blockStart = (t >> kShift) << kShift;
    for (; t >= blockStart; t--)
      if (t == 0 || values_[t] < bound) return t;
    // t is now the top of the previous block: skip whole blocks whose minimum is >= bound.
    int32_t block = t >> kShift;
    for (int32_t k = levelCount_ - 1; k >= 0; k--) {
      const int32_t first = block - (1 << k) + 1;
      if (first >= 0 && level(k)[first] >= bound) block -= 1 << k;
    }
    // Block `block` holds the answer (block 0 always does: values[0] ends the walk).
    for (t = ((block + 1) << kShift) - 1; t >= 0; t--)
      if (t == 0 || values_[t] < bound) return t;
    return 0;
  }

  // The smallest t >= from with t == size or values[t] < bound.
  int32_t firstBelowUp(int32_t from, int32_t bound) const {
    int32_t t = from;
    if (t >= size_) return size_;
    const int32_t blockEnd = ((t >> kShift) + 1) << kShift;
    for (; t < blockEnd; t++)
      if (t >= size_ || values_[t] < bound) return t;
    int32_t block = t >> kShift;
    for (int32_t k = levelCount_ - 1; k >= 0; k--) {
      const int32_t last = block + (1 << k) - 1;
      if (last < blocks_ && level(k)[block] >= bound) block += 1 << k;
    }
    for (t = block << kShift; t < size_; t++)
      if (values_[t] < bound) return t;
    return size_;
  }

 private:
  static constexpr int32_t kNoValue = 0x7fffffff;

  const int32_t* level(int32_t k) const { return table_.data() + static_cast<size_t>(k) * blocks_; }

  int32_t scan(int32_t first, int32_t last) const {
    int32_t m = kNoValue;
    for (int32_t i = first; i <= last; i++)
      if (values_[i] < m) m = values_[i];
    return m;
  }

  // Minimum over blocks firstBlock..lastBlock.
  int32_t blockMin(int32_t firstBlock, int32_t lastBlock) const {
    const int32_t k = floorLog2(static_cast<uint32_t>(lastBlock - firstBlock + 1));
    const int32_t a = level(k)[firstBlock];
    const int32_t b = level(k)[lastBlock - (1 << k) + 1];
    return a < b ? a : b;
  }

  const int32_t* values_ = nullptr;
  int32_t size_ = 0;
  int32_t blocks_ = 1;
  int32_t levelCount_ = 1;
  HeapArray<int32_t> table_;
};

// The live ranks of one kind (sources still before i), as a bitset with a summary of non-empty
// words: 24 KiB per kind for a 64 KiB input, so the nearest live rank on either side is a few
// in-cache word scans (at most 64 summary bits per word) instead of a pointer chase.
class LiveRanks {
 public:
  bool build(int32_t size, const int32_t* positions) {
    size_ = size;
    words_ = (size + 63) >> 6;
    summaryWords_ = (words_ + 63) >> 6;
    if (!bits_.reset(static_cast<size_t>(words_) + 1) || !summary_.reset(static_cast<size_t>(summaryWords_) + 1)) return false;
    for (int32_t r = 0; r < size; r++)
      if (positions[r] != kUnused) bits_[r >> 6] |= uint64_t{1} << (r & 63);
    for (int32_t w = 0; w < words_; w++)
      if (bits_[w] != 0) summary_[w >> 6] |= uint64_t{1} << (w & 63);
    return true;
  }

  void remove(int32_t rank) {
    const int32_t w = rank >> 6;
    bits_[w] &= ~(uint64_t{1} << (rank & 63));
    if (bits_[w] == 0) summary_[w >> 6] &= ~(uint64_t{1} << (w & 63));
  }

  // Nearest live rank < r, or -1.
  int32_t before(int32_t r) const {
    if (r <= 0) return -1;
    const int32_t t = r - 1;
    const int32_t w = t >> 6;
    const uint64_t here = bits_[w] & (~uint64_t{0} >> (63 - (t & 63)));
    if (here != 0) return (w << 6) + 63 - __builtin_clzll(here);
    if (w == 0) return -1;
    const int32_t sw = w - 1;
    int32_t s = sw >> 6;
    uint64_t summary = summary_[s] & (~uint64_t{0} >> (63 - (sw & 63)));
    while (summary == 0) {
      if (s == 0) return -1;
      summary = summary_[--s];
    }
    const int32_t word = (s << 6) + 63 - __builtin_clzll(summary);
    return (word << 6) + 63 - __builtin_clzll(bits_[word]);
  }

  // Nearest live rank > r, or -1.
  int32_t after(int32_t r) const {
    const int32_t t = r + 1;
    if (t >= size_) return -1;
    const int32_t w = t >> 6;
    const uint64_t here = bits_[w] & (~uint64_t{0} << (t & 63));
    if (here != 0) return (w << 6) + __builtin_ctzll(here);
    const int32_t sw = w + 1;
    if (sw >= words_) return -1;
    int32_t s = sw >> 6;
    uint64_t summary = summary_[s] & (~uint64_t{0} << (sw & 63));
    while (summary == 0) {
      if (++s >= summaryWords_) return -1;
      summary = summary_[s];
    }
    const int32_t word = (s << 6) + __builtin_ctzll(summary);
    return (word << 6) + __builtin_ctzll(bits_[word]);
  }

 private:
  int32_t size_ = 0;
  int32_t words_ = 0;
  int32_t summaryWords_ = 0;
  HeapArray<uint64_t> bits_;
  HeapArray<uint64_t> summary_;
};

}  // namespace

bool findCopyMatches(const uint8_t* data, int32_t n, bool inhalRules, bool forwardOnly, CopyMatches& out) {
  if (!out.length.reset(static_cast<size_t>(n) + 1) || !out.kind.reset(static_cast<size_t>(n) + 1) || !out.source.reset(static_cast<size_t>(n) + 1))
    return false;
  if (n < 2) return true;
  const int32_t total = 3 * n + 3;
  HeapArray<int32_t> text(total), sa(total), rankOf(total), lcp(total);
  if (!text.ok() || !sa.ok() || !rankOf.ok() || !lcp.ok()) return false;
  for (int32_t i = 0; i < n; i++) {
    text[i] = data[i];
    text[n + 1 + i] = kBitReversedByte[data[i]];
    text[2 * n + 2 + i] = data[n - 1 - i];
  }
  text[n] = 256;
  text[2 * n + 1] = 257;
  text[3 * n + 2] = 258;
  if (!buildSuffixArray(text.data(), total, 259, sa.data())) return false;
  for (int32_t r = 0; r < total; r++) rankOf[sa[r]] = r;
  // Kasai: lcp[r] = common prefix of suffixes sa[r-1] and sa[r].
  for (int32_t i = 0, h = 0; i < total; i++) {
    const int32_t r = rankOf[i];
    if (r == 0) {
      h = 0;
      continue;
    }
    const int32_t j = sa[r - 1];
    while (i + h < total && j + h < total && text[i + h] == text[j + h]) h++;
    lcp[r] = h;
    if (h > 0) h--;
  }
  BlockMin lcpMin;
  if (!lcpMin.build(lcp.data(), total)) return false;

  const uint8_t kinds[3] = {kKindForwardCopy, kKindReversedCopy, kKindBackwardCopy};
  const int32_t startOf[3] = {0, n + 1, 2 * n + 2};
  const int32_t kindCount = forwardOnly ? 1 : 3;
  HeapArray<int32_t> positionAtRank[3];
  LiveRanks live[3];
  // Built on first need: only intervals too long to walk use them.
  BlockMin earliest[3];
  bool earliestBuilt[3] = {false, false, false};
  for (int32_t k = 0; k < kindCount; k++) {
    if (!positionAtRank[k].reset(total)) return false;
    positionAtRank[k].fill(kUnused);
    for (int32_t q = 0; q < n; q++) positionAtRank[k][rankOf[startOf[k] + q]] = k == 2 ? n - 1 - q : q;
    if (!live[k].build(total, positionAtRank[k].data())) return false;
  }
  const int32_t minimum = inhalRules ? 4 : 3;
  int32_t bestLength[3] = {0, 0, 0};
  int32_t bestRank[3] = {0, 0, 0};

  for (int32_t i = n - 1; i >= 0; i--) {
    const int32_t r = rankOf[i];
    const int32_t ceiling = n - i < kLongCountLimit ? n - i : kLongCountLimit;
    for (int32_t k = 0; k < kindCount; k++) {
      // Sources must lie before i: drop the one at i.
      LiveRanks& ranks = live[k];
      ranks.remove(rankOf[k == 2 ? startOf[k] + (n - 1 - i) : startOf[k] + i]);
      const int32_t left = ranks.before(r);
      const int32_t right = ranks.after(r);
      const int32_t leftLength = left >= 0 ? lcpMin.min(left + 1, r) : 0;
      const int32_t rightLength = right >= 0 ? lcpMin.min(r + 1, right) : 0;
      int32_t best = leftLength > rightLength ? leftLength : rightLength;
      if (best > ceiling) best = ceiling;
      bestLength[k] = best;
      bestRank[k] = leftLength >= rightLength ? left : right;
    }
    int32_t chosen = -1;
    int32_t chosenLength = minimum - 1;
    for (int32_t k = 0; k < kindCount; k++) {
      if (bestLength[k] > chosenLength) {
        chosen = k;
        chosenLength = bestLength[k];
      }
    }
    if (chosen < 0) continue;
    out.length[i] = chosenLength;
    out.kind[i] = kinds[chosen];
    if (!inhalRules) {
      // The chosen side holds a suffix (its common prefix is >= 3); guard the index anyway.
      out.source[i] = bestRank[chosen] >= 0 ? positionAtRank[chosen][bestRank[chosen]] : 0;
      continue;
    }
    // inhal takes the earliest source: the rank interval around r whose common prefix with
    // S[i..] is at least the chosen length (lcp[lo+1..hi] >= chosen length, maximal), and the
    // smallest p of that kind inside it.
    const int32_t lo = lcpMin.firstBelowDown(r, chosenLength);
    const int32_t hi = lcpMin.firstBelowUp(r + 1, chosenLength) - 1;
    if (hi - lo < 2 * BlockMin::kBlock) {
      const int32_t* positions = positionAtRank[chosen].data();
      int32_t earliestSource = kUnused;
      for (int32_t rank = lo; rank <= hi; rank++)
        if (positions[rank] < earliestSource) earliestSource = positions[rank];
      out.source[i] = earliestSource;
      continue;
    }
    if (!earliestBuilt[chosen]) {
      if (!earliest[chosen].build(positionAtRank[chosen].data(), total)) return false;
      earliestBuilt[chosen] = true;
    }
    out.source[i] = earliest[chosen].min(lo, hi);
  }
  return true;
}

}  // namespace romgfx
