// A labelled dataset ready for evaluation: features, class indices, speakers, names.
// Built from a feature file with a class selection; every row has a speaker and a
// label from the selection.
#pragma once

#include <string>
#include <vector>

#include "seraug/common/matrix.hpp"
#include "seraug/data/feature_table.hpp"

namespace seraug {

// Rows of the same file whose label is outside the class selection (EMO-DB: boredom,
// disgust under the paper's five classes), kept unlabelled: a GAN may use the training
// speakers' ones as a source domain ([gan] source = "unused").
struct UnselectedRows {
  Matrix features;                    // rows x dims, the dataset's columns
  std::vector<std::string> speakers;  // per row
  std::vector<std::string> names;     // per row
};

struct Dataset {
  Matrix features;                         // rows x dims
  std::vector<int> labels;                 // class index per row
  std::vector<std::string> classes;        // class index -> name
  std::vector<std::string> speakers;       // per row
  std::vector<std::string> names;          // per row
  std::vector<std::string> feature_names;  // dims
  std::string source;                      // file it came from (for messages)
  UnselectedRows unselected;               // rows of the other classes (never evaluated)

  std::size_t rows() const { return labels.size(); }
  std::size_t dims() const { return features.cols; }
  std::vector<std::size_t> class_counts() const;
  std::vector<std::string> speaker_list() const;  // sorted, unique
  int class_index(const std::string& name) const;  // -1 when not a class of the dataset
};

// {class, its one speaker} for each class whose rows all come from one speaker.
std::vector<std::pair<std::string, std::string>> single_speaker_classes(const Dataset& data);

// The paper's five emotions, the default selection of every command and config.
const std::vector<std::string>& paper_classes();
// The same as a --classes value: "anger,fear,happiness,sadness,neutral".
const std::string& paper_class_selection();

// "anger,fear,..." -> that list (in that order); "all" -> every label present, sorted.
// Rows with labels outside an explicit list are dropped (e.g. boredom, disgust).
// Errors name the file and row: a row without label or speaker, a listed class with no
// rows, fewer than two classes.
Dataset make_dataset(const FeatureTable& table, const std::string& class_selection, const std::string& source);

// Convenience: read_feature_table + make_dataset.
Dataset load_dataset(const std::string& path, const std::string& class_selection = paper_class_selection());
// Several feature files of the same clips, fused early (join_feature_tables); one path
// is load_dataset. The dataset's source reads "a.csv+b.csv".
Dataset load_dataset(const std::vector<std::string>& paths, const std::string& class_selection = paper_class_selection());

}  // namespace seraug
