#include <gtest/gtest.h>

#include "seraug/features/contours.hpp"

namespace seraug {
namespace {

ContourMatrix column(std::vector<double> v) { return ContourMatrix{static_cast<int>(v.size()), 1, std::move(v)}; }

TEST(Contours, MovingAverageRepeatsEdgeFrames) {
  const ContourMatrix out = moving_average(column({3, 6, 9, 0}), 3);
  // (3+3+6)/3, (3+6+9)/3, (6+9+0)/3, (9+0+0)/3
  EXPECT_DOUBLE_EQ(out.at(0, 0), 4.0);
  EXPECT_DOUBLE_EQ(out.at(1, 0), 6.0);
  EXPECT_DOUBLE_EQ(out.at(2, 0), 5.0);
  EXPECT_DOUBLE_EQ(out.at(3, 0), 3.0);
}

TEST(Contours, DeltaOfARampIsItsSlopeInside) {
  std::vector<double> ramp;
  for (int t = 0; t < 10; ++t) ramp.push_back(2.5 * t + 1);
  const ContourMatrix d = delta_regression(column(ramp), 2);
  for (int t = 2; t < 8; ++t) EXPECT_NEAR(d.at(t, 0), 2.5, 1e-12);
  // At the first frame, x[-1] = x[-2] = x[0]: (1*(x1-x0) + 2*(x2-x0)) / 10 = (2.5 + 10) / 10.
  EXPECT_NEAR(d.at(0, 0), 1.25, 1e-12);
}

TEST(Contours, DeltaOfAConstantIsZeroAndColumnsStayApart) {
  ContourMatrix m{4, 2, {1, 10, 1, 20, 1, 30, 1, 40}};
  const ContourMatrix d = delta_regression(m, 2);
  for (int t = 0; t < 4; ++t) EXPECT_EQ(d.at(t, 0), 0.0);
  EXPECT_GT(d.at(1, 1), 0.0);
}

}  // namespace
}  // namespace seraug
