// Classification metrics from a confusion matrix (rows: true class, columns: predicted).
//   WA  (weighted accuracy)   = correct / total
//   UAR (unweighted avg recall) = mean over classes of recall; a class absent from the
//        test data is left out of the mean (and reported as NaN recall)
#pragma once

#include <span>
#include <string>
#include <vector>

namespace seraug {

class Confusion {
 public:
  explicit Confusion(std::size_t classes = 0) : n_(classes), counts_(classes * classes, 0) {}

  void add(int truth, int predicted, long count = 1);
  void add(const Confusion& other);
  static Confusion from(std::span<const int> truth, std::span<const int> predicted, std::size_t classes);

  std::size_t classes() const { return n_; }
  long at(std::size_t truth, std::size_t predicted) const { return counts_[truth * n_ + predicted]; }
  long total() const;
  long support(std::size_t c) const;  // true rows of class c

  double wa() const;
  double uar() const;
  double recall(std::size_t c) const;     // NaN if the class has no true rows
  double precision(std::size_t c) const;  // NaN if never predicted
  double f1(std::size_t c) const;         // NaN if recall or precision is

 private:
  std::size_t n_;
  std::vector<long> counts_;
};

struct MeanStd {
  double mean = 0, std = 0;  // sample standard deviation (n - 1); 0 for a single value
  std::size_t n = 0;         // values summarised: with one, std says nothing (reports print none)
};
MeanStd mean_std(std::span<const double> values);

}  // namespace seraug
