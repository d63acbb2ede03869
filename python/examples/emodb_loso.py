"""Worked example: extract -> evaluate with leave-one-speaker-out -> train -> predict.

    /usr/bin/python3 python/examples/emodb_loso.py [EMODB_WAV_DIR] [MODEL_DIR]

Defaults: $SERAUG_EMODB/wav (else ../shared/data/emodb/wav) and a temporary folder.
"""

import os
import sys
import tempfile

import seraug

wav = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.environ.get("SERAUG_EMODB", "../shared/data/emodb"), "wav")
model_dir = sys.argv[2] if len(sys.argv) > 2 else os.path.join(tempfile.mkdtemp(), "model")

# 1. Features of every clip (rows named by file) and what the EMO-DB names say.
features = seraug.extract(wav, feature_set="is09")
corpus = seraug.read_corpus(wav)  # columns path, speaker, label; same index
print(f"{features.shape[0]} clips x {features.shape[1]} features")

# 2. Speaker-independent evaluation: per-speaker z-score, linear SVM with C chosen by
#    speaker-grouped inner CV, 3 seeds; rows outside the paper's 5 classes are dropped.
result = seraug.evaluate(features, corpus["label"], corpus["speaker"], norm="speaker", seeds=3)
print(result)
print(result.confusion)
print(result.folds[["seed", "test_speakers", "uar", "hyperparameters"]].head())

# 3. SMOTE inside each training fold, next to none (same seeds, so folds pair up).
smote = seraug.evaluate(features, corpus["label"], corpus["speaker"], norm="speaker", seeds=3,
                        augment="smote", per_class=100)
print(f"SMOTE: UAR {smote.uar:.3f} vs none {result.uar:.3f}")

# 4. A model for new audio: trained on every clip, saved, loaded, used on files.
model = seraug.train(features, corpus["label"], corpus["speaker"], norm="speaker")
model.save(model_dir)
model = seraug.Model.load(model_dir)
speaker = corpus.index[corpus["speaker"] == corpus["speaker"].iloc[0]]
files = [corpus.loc[name, "path"] for name in speaker]
# A speaker-normalised model takes unlabelled clips of the new speaker (here: its own).
labels = model.predict(files, enroll=files)                 # a Series of class names
probabilities = model.predict_proba(files, enroll=files)    # one column per class
print(probabilities.assign(label=labels).head().round(3).to_string())
