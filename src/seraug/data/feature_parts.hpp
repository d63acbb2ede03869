// Sharded extraction of a large corpus (extract --shard K/N): each part file holds one
// contiguous block of the input list's clips, and its sidecar says which block of which
// list; merge_feature_parts checks that the parts fit together before joining them.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "seraug/data/feature_table.hpp"

namespace seraug {

struct FeaturePart {
  int index = 1, count = 1;          // shard K of N (1-based)
  std::size_t first = 0, size = 0;   // the block [first, first + size) of the input list
  std::size_t source_clips = 0;      // clips in the whole input list
  std::string source;                // the folder or manifest, as given (for messages)
  std::string source_fingerprint;    // hash of every input clip's name and path, in order
  std::string feature_set;
  int feature_set_version = 0;
  std::vector<std::string> skipped;  // names of the block's clips skipped (--skip-bad)
};

// Shard K of N of `clips` clips: contiguous blocks whose sizes differ by at most one,
// so that the parts joined in shard order are the unsharded list.
std::pair<std::size_t, std::size_t> part_block(std::size_t clips, int index, int count);  // first, size
// part_block for a new extraction: refuses more shards than clips (an empty block), naming
// both counts.
std::pair<std::size_t, std::size_t> extraction_block(std::size_t clips, int index, int count);
std::string clip_list_fingerprint(const std::vector<std::string>& names, const std::vector<std::string>& paths);

// write_feature_table with the part's description in the sidecar.
void write_feature_part(const std::string& path, const FeatureTable& table, const std::vector<std::string>& provenance,
                        const FeaturePart& part);
// The part description of a table's sidecar; nothing for a table that is not a part.
// Throws seraug::Error naming the sidecar when it is damaged.
std::optional<FeaturePart> read_feature_part(const std::string& table_path);

// The parts joined in shard order (= the unsharded extraction's rows), after checking
// that each is a part, all of one input list, shard count, feature set and version,
// every shard present exactly once, each part holding its whole block (rows + skipped
// clips), and no row name twice. Throws seraug::Error naming the part and the problem.
FeatureTable merge_feature_parts(const std::vector<std::string>& part_paths, std::vector<std::string>* skipped = nullptr);

}  // namespace seraug
