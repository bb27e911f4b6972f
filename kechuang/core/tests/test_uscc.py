"""统一社会信用代码 (GB 32100) validator: examples and properties."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.core.uscc import CHARSET, check_character, is_valid_uscc, make_uscc, uscc_error

AUTHORITY_PAIRS = ["11", "12", "13", "19", "21", "31", "51", "52", "53", "59", "61", "71",
                   "81", "91", "92", "93", "A1", "N1", "N2", "N3", "N9", "Y1"]

prefix17 = st.builds(
    lambda pair, area, org: pair + area + org,
    st.sampled_from(AUTHORITY_PAIRS),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.text(alphabet=CHARSET, min_size=9, max_size=9),
)


@given(prefix17)
def test_any_prefix_with_its_check_character_validates(prefix):
    code = make_uscc(prefix)
    assert len(code) == 18
    assert uscc_error(code) is None


@settings(max_examples=300)
@given(prefix17, st.integers(min_value=0, max_value=17), st.sampled_from(CHARSET))
def test_changing_one_character_invalidates_or_changes_the_check_character(prefix, pos, char):
    code = make_uscc(prefix)
    if code[pos] == char:
        return
    changed = code[:pos] + char + code[pos + 1:]
    if pos == 17:
        assert not is_valid_uscc(changed)
        return
    # a single substitution in the body always changes the check character (weights are
    # non-zero mod 31 and 31 is prime), so the old check character no longer fits
    assert check_character(changed[:17]) != code[17]
    assert not is_valid_uscc(changed)


@given(st.text(max_size=18).filter(lambda s: len(s) != 18))
def test_wrong_length_is_reported(text):
    if not text:
        assert uscc_error(text) == "统一社会信用代码不能为空"
    else:
        assert uscc_error(text) == f"统一社会信用代码应为18位，实际为{len(text)}位"


@pytest.mark.parametrize(
    ("_case", "code", "message"),
    [
        ("valid", "91330106MA2B3C4D5", None),  # completed below
        ("bad_area", "9133A106MA2B3C4D5X", "统一社会信用代码第3至8位应为6位数字的行政区划码"),
        ("bad_authority_kind", "15330106MA2B3C4D5X",
         "统一社会信用代码前两位“15”不是有效的登记管理部门和机构类别代码"),
        ("forbidden_letters", "91330106MA2B3C4DSV",
         "统一社会信用代码含有不允许的字符：SV（不使用I、O、Z、S、V）"),
    ],
)
def test_examples(_case, code, message):
    if message is None:
        code = make_uscc(code)
    assert uscc_error(code) == message


def test_known_published_example():
    # check character from the standard's worked example shape: 91350100M000100Y43
    assert is_valid_uscc("91350100M000100Y43")
