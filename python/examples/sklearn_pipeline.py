"""seraug's features in a scikit-learn pipeline, evaluated leave-one-speaker-out.

    /usr/bin/python3 python/examples/sklearn_pipeline.py [EMODB_WAV_DIR]

Note what scikit-learn does and does not do here: the StandardScaler is fitted inside
each training fold (global z-score); seraug's per-speaker z-score has no scikit-learn
counterpart, so this pipeline is comparable to `seraug.evaluate(..., norm="global")`.
"""

import os
import sys

import numpy as np
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import LeaveOneGroupOut, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC

import seraug

wav = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.environ.get("SERAUG_EMODB", "../shared/data/emodb"), "wav")
features = seraug.extract(wav, feature_set="is09")
corpus = seraug.read_corpus(wav)
keep = corpus["label"].isin(seraug.PAPER_CLASSES).to_numpy()
X, y, groups = features[keep], corpus["label"][keep], corpus["speaker"][keep]

pipeline = make_pipeline(StandardScaler(), LinearSVC(C=0.01, dual=False))
predicted = cross_val_predict(pipeline, X, y, groups=groups, cv=LeaveOneGroupOut())
uar = balanced_accuracy_score(y, predicted)  # UAR = balanced accuracy
print(f"scikit-learn LinearSVC, LOSO: UAR {uar:.3f}, WA {np.mean(predicted == y):.3f}")
