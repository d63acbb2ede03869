// Lists in which the same thing given twice would silently count twice (issue 32,
// class 3): two --perturb chains that are one chain, a method listed twice in an
// experiment (its rows doubled, Holm counting it twice), one --enroll folder twice (the
// enrolment doubled), one --audio-copies file twice. Every such list is checked here,
// with a key that says when two spellings are the same thing: the canonical text of a
// chain or method, the device and inode of a file.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "seraug/common/error.hpp"

namespace seraug {

// Throws seraug::Error "<what>: '<b>' is the same <kind> as '<a>' (given twice); give each
// once" for the first item whose key equals an earlier item's.
template <class T>
void refuse_repeats(const std::vector<T>& items, const std::string& what, const std::string& kind,
                    const std::function<std::string(const T&)>& key, const std::function<std::string(const T&)>& spelling) {
  std::map<std::string, std::size_t> first;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto [it, fresh] = first.emplace(key(items[i]), i);
    if (fresh) continue;
    const std::string a = spelling(items[it->second]), b = spelling(items[i]);
    throw Error(what + ": '" + b + "' " + (a == b ? "is given twice" : "is the same " + kind + " as '" + a + "' (given twice)") +
                "; give each once");
  }
}

inline void refuse_repeats(const std::vector<std::string>& items, const std::string& what, const std::string& kind,
                           const std::function<std::string(const std::string&)>& key) {
  refuse_repeats<std::string>(items, what, kind, key, [](const std::string& s) { return s; });
}

// The identity of a file: "device:inode" when it exists (one file through any symlink,
// hard link or spelling of its path), else its normalised absolute path.
std::string file_identity(const std::string& path);

}  // namespace seraug
