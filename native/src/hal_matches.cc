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
// Ranks walked linearly around a query before switching to the sparse tables.
constexpr int32_t kLinearScanRanks = 64;

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

// Sparse table of minima: level k holds min(values[i .. i + 2^k - 1]).
class MinTable {
 public:
  bool build(const int32_t* values, int32_t size) {
    size_ = size;
    levelCount_ = size > 0 ? floorLog2(static_cast<uint32_t>(size)) + 1 : 1;
    if (!table_.reset(static_cast<size_t>(levelCount_) * static_cast<size_t>(size > 0 ? size : 1))) return false;
    if (size > 0) std::memcpy(table_.data(), values, sizeof(int32_t) * static_cast<size_t>(size));
    for (int32_t k = 1; k < levelCount_; k++) {
      const int32_t half = 1 << (k - 1);
      const int32_t* previous = level(k - 1);
      int32_t* current = table_.data() + static_cast<size_t>(k) * size_;
      const int32_t count = size - (1 << k) + 1;
      for (int32_t i = 0; i < count; i++) current[i] = previous[i] < previous[i + half] ? previous[i] : previous[i + half];
    }
    return true;
  }
  const int32_t* level(int32_t k) const { return table_.data() + static_cast<size_t>(k) * size_; }
  int32_t levelCount() const { return levelCount_; }
  // Minimum over values[first..last], first <= last.
  int32_t min(int32_t first, int32_t last) const {
    const int32_t k = floorLog2(static_cast<uint32_t>(last - first + 1));
    const int32_t* l = level(k);
    const int32_t a = l[first];
    const int32_t b = l[last - (1 << k) + 1];
    return a < b ? a : b;
  }

 private:
  int32_t size_ = 0;
  int32_t levelCount_ = 1;
  HeapArray<int32_t> table_;
};

// Nearest live rank before / after a rank, with deletions (path-halving union-find).
class LiveRanks {
 public:
  bool build(int32_t size, const int32_t* positions) {
    size_ = size;
    if (!left_.reset(static_cast<size_t>(size) + 1) || !right_.reset(static_cast<size_t>(size) + 1)) return false;
    for (int32_t r = 0; r < size; r++) {
      const bool live = positions[r] != kUnused;
      left_[r + 1] = live ? r + 1 : r;
      right_[r] = live ? r : r + 1;
    }
    left_[0] = 0;
    right_[size] = size;
    return true;
  }
  void remove(int32_t rank) {
    left_[rank + 1] = rank;
    right_[rank] = rank + 1;
  }
  // Nearest live rank < r, or -1.
  int32_t before(int32_t r) {
    int32_t* left = left_.data();
    int32_t x = r;
    while (left[x] != x) {
      const int32_t parent = left[x];
      left[x] = left[parent];
      x = parent;
    }
    return x - 1;
  }
  // Nearest live rank > r, or -1.
  int32_t after(int32_t r) {
    int32_t* right = right_.data();
    int32_t x = r + 1;
    while (x < size_ && right[x] != x) {
      const int32_t parent = right[x];
      right[x] = right[parent];
      x = parent;
    }
    return x < size_ ? x : -1;
  }

 private:
  int32_t size_ = 0;
  HeapArray<int32_t> left_;
  HeapArray<int32_t> right_;
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
  MinTable lcpMin;
  if (!lcpMin.build(lcp.data(), total)) return false;

  const uint8_t kinds[3] = {kKindForwardCopy, kKindReversedCopy, kKindBackwardCopy};
  const int32_t startOf[3] = {0, n + 1, 2 * n + 2};
  const int32_t kindCount = forwardOnly ? 1 : 3;
  HeapArray<int32_t> positionAtRank[3];
  LiveRanks live[3];
  // Built on first need: only intervals too long to walk use them.
  MinTable earliest[3];
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
    // S[i..] is at least the chosen length, and the smallest p of that kind inside it. Most
    // intervals are short: walk the LCP array outwards (contiguous memory) for a few ranks, and
    // only for long ones finish with the sparse tables (18 levels of cache misses per query).
    int32_t lo = r;
    int32_t hi = r;
    int32_t steps = 0;
    while (lo >= 1 && lcp[lo] >= chosenLength && steps < kLinearScanRanks) {
      lo--;
      steps++;
    }
    while (hi + 1 <= total - 1 && lcp[hi + 1] >= chosenLength && steps < 2 * kLinearScanRanks) {
      hi++;
      steps++;
    }
    const bool loDone = lo < 1 || lcp[lo] < chosenLength;
    const bool hiDone = hi + 1 > total - 1 || lcp[hi + 1] < chosenLength;
    if (loDone && hiDone) {
      const int32_t* positions = positionAtRank[chosen].data();
      int32_t earliestSource = kUnused;
      for (int32_t rank = lo; rank <= hi; rank++)
        if (positions[rank] < earliestSource) earliestSource = positions[rank];
      out.source[i] = earliestSource;
      continue;
    }
    for (int32_t level = lcpMin.levelCount() - 1; level >= 0; level--) {
      const int32_t span = 1 << level;
      const int32_t* values = lcpMin.level(level);
      if (lo - span + 1 >= 1 && values[lo - span + 1] >= chosenLength) lo -= span;
      if (hi + span <= total - 1 && values[hi + 1] >= chosenLength) hi += span;
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
