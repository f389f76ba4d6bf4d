import os
import re

import numpy as np
import pytest

from tsforecast.datasets import list_ucr_datasets, load_ts_file, load_ucr
from tsforecast.datasets._ucr import UCR_DATASETS

EXPECTED = {
    # name: (n_train, n_test, length, channels, classes)
    "GunPoint": (50, 150, 150, 1, {"1", "2"}),
    "ItalyPowerDemand": (67, 1029, 24, 1, {"1", "2"}),
    "BasicMotions": (40, 40, 100, 6, {"Standing", "Running", "Walking", "Badminton"}),
}

HEADER = "# a comment\n@problemName Toy\n@timeStamps false\n@missing true\n@univariate false\n"


def write(tmp_path, text, name="toy.ts"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize("name", UCR_DATASETS)
def test_bundled_shapes_and_labels(name):
    n_train, n_test, length, channels, classes = EXPECTED[name]
    X, y = load_ucr(name, "train")
    Xt, yt = load_ucr(name, split="test")
    assert X.shape == (n_train, length, channels) and X.dtype == np.float64
    assert Xt.shape == (n_test, length, channels)
    assert y.shape == (n_train,) and yt.shape == (n_test,)
    assert set(y.tolist()) == classes and set(yt.tolist()) == classes
    assert np.isfinite(X).all() and np.isfinite(Xt).all()


def test_values_match_file_text():
    X, y = load_ucr("GunPoint")
    # first value of the first case in GunPoint_TRAIN.ts
    assert X[0, 0, 0] == pytest.approx(-0.6478854)
    X, y = load_ucr("BasicMotions")
    assert X[0, 0, 0] == pytest.approx(0.079106)
    assert X[0, -1, 5] == pytest.approx(-0.03196)
    assert y[0] == "Standing"


def test_name_case_insensitive_and_unknown():
    assert load_ucr("gunpoint")[0].shape == (50, 150, 1)
    with pytest.raises(ValueError, match=re.escape("unknown UCR set 'ECG200'; bundled sets: ['GunPoint'")):
        load_ucr("ECG200")
    with pytest.raises(ValueError, match=re.escape("split must be 'train' or 'test'; got 'valid'")):
        load_ucr("GunPoint", split="valid")


def test_list_ucr_datasets():
    table = list_ucr_datasets()
    assert list(table.index) == list(UCR_DATASETS)
    for name, (n_train, n_test, length, channels, classes) in EXPECTED.items():
        assert table.loc[name].tolist() == [n_train, n_test, length, channels, len(classes)]


@pytest.mark.parametrize("name", UCR_DATASETS)
def test_bundled_copies_equal_shared(name, shared_dir):
    for split in ("train", "test"):
        X_shared, y_shared = load_ts_file(shared_dir / "data" / "ucr" / name / f"{name}_{split.upper()}.ts")
        X, y = load_ucr(name, split)
        np.testing.assert_array_equal(X, X_shared)
        np.testing.assert_array_equal(y, y_shared)


def test_multivariate_missing_values(tmp_path):
    p = write(tmp_path, HEADER + "@dimensions 2\n@equalLength true\n@seriesLength 3\n@classLabel true a b\n@data\n"
              "1,2,3:4,5,6:a\n\n7,?,9:0,1,2:b\n")
    X, y = load_ts_file(p)
    assert X.shape == (2, 3, 2)
    np.testing.assert_array_equal(X[0], [[1, 4], [2, 5], [3, 6]])
    assert np.isnan(X[1, 1, 0])
    assert y.tolist() == ["a", "b"]


def test_unequal_length_gives_list(tmp_path):
    p = write(tmp_path, "@problemName U\n@univariate true\n@equalLength false\n@classLabel true x y\n@data\n"
              "1,2,3:x\n4,5:y\n")
    X, y = load_ts_file(p)
    assert isinstance(X, list) and [a.shape for a in X] == [(3, 1), (2, 1)]
    assert y.tolist() == ["x", "y"]


def test_no_labels_and_regression_targets(tmp_path):
    X, y = load_ts_file(write(tmp_path, "@univariate true\n@classLabel false\n@data\n1,2\n3,4\n"))
    assert X.shape == (2, 2, 1) and y is None
    X, y = load_ts_file(write(tmp_path, "@univariate true\n@targetLabel true\n@data\n1,2:0.5\n3,4:1.5\n", "r.ts"))
    assert y.dtype == float and y.tolist() == [0.5, 1.5]


@pytest.mark.parametrize(
    "body, msg",
    [
        ("@dimensions 2\n@classLabel true a b\n@data\n1,2:3,4:a\n1,2:b\n",
         "toy.ts, line 10: expected 2 channel(s) separated by ':' (as the header declares); found 1."),
        ("@classLabel true a b\n@data\n1,2:3,4:a\n1,2:b\n",
         "toy.ts, line 9: expected 2 channel(s) separated by ':' (as on line 8); found 1."),
        ("@univariate true\n@classLabel true a b\n@data\n1,2:c\n",
         "toy.ts, line 9: class label 'c' is not declared in @classLabel ['a', 'b']."),
        ("@univariate true\n@classLabel true a b\n@data\n1,x2:a\n",
         "toy.ts, line 9: channel 0, value 1: 'x2' is not a number"),
        ("@univariate true\n@classLabel true a b\n@data\n1,2\n",
         "toy.ts, line 9: expected the channels then ':' and the label; found no ':'."),
        ("@equalLength true\n@univariate true\n@classLabel true a b\n@data\n1,2:a\n1,2,3:b\n",
         "toy.ts, line 11: @equalLength true but this case has 3 timesteps, the first 2."),
        ("@equalLength true\n@seriesLength 5\n@univariate true\n@classLabel true a b\n@data\n1,2:a\n",
         "toy.ts, line 11: @seriesLength 5 but the cases have 2 timesteps."),
        ("@dimensions 2\n@classLabel true a b\n@data\n1,2:3:a\n",
         "toy.ts, line 9: channels of one case must have equal lengths; got [2, 1]."),
        ("@univariate maybe\n@data\n1\n", "toy.ts, line 6: @univariate must be 'true' or 'false'; got 'maybe'."),
        ("@dimensions two\n@data\n1\n", "toy.ts, line 6: @dimensions must be an integer; got 'two'."),
        ("@classLabel true\n@data\n1:a\n", "toy.ts, line 6: @classLabel true must list the class values"),
        ("@univariate true\n1,2\n", "toy.ts, line 7: expected a header line starting with '@' before @data"),
        ("@univariate true\n", "toy.ts: no @data line; is this a .ts file?"),
        ("@univariate true\n@data\n\n", "toy.ts: no cases after @data."),
        ("@univariate true\n@data\n1,2\n@classLabel false\n", "toy.ts, line 9: header line '@classLabel false' after @data."),
    ],
)
def test_malformed_files(tmp_path, body, msg):
    p = write(tmp_path, HEADER + body)
    with pytest.raises(ValueError, match=re.escape(msg)):
        load_ts_file(p)


def test_timestamps_not_supported(tmp_path):
    p = write(tmp_path, "@timeStamps true\n@data\n(1,2)\n")
    with pytest.raises(ValueError, match=re.escape("time-stamped .ts files (@timeStamps true) are not supported")):
        load_ts_file(p)


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="no .ts file"):
        load_ts_file(os.path.join(tmp_path, "nope.ts"))
