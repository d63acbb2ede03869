// Presenting nested selection among recipes (eval/nested.hpp): each candidate's outer
// score, the best of them (optimistic: chosen on the test speakers), the nested score
// (honest: chosen inside each outer training side) and how often each candidate won.
#pragma once

#include <string>

#include "seraug/eval/nested.hpp"

namespace seraug {

std::string format_nested(const NestedResult& result);
std::string nested_json(const NestedResult& result);

}  // namespace seraug
