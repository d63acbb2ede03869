// Paired permutation test for comparing two methods on the same folds.
#pragma once

#include <cstdint>
#include <vector>

namespace seraug {

// Two-sided paired sign-flip permutation test of mean(differences) = 0: exact for up to
// 20 pairs, else 20,000 seeded random flips. Returns the p-value (1 for no pairs).
double sign_flip_p_value(const std::vector<double>& differences, std::uint64_t seed = 1);

// Holm's step-down adjustment of a family of p-values (same order as given): the i-th
// smallest becomes max over j <= i of min(1, (m - j + 1) p_(j)).
std::vector<double> holm_adjusted(const std::vector<double>& p);

}  // namespace seraug
