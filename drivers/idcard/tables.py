"""Code tables printed on cards as digits: gender (GB/T 2261.1) and nation (GB 3304).

Unknown codes are not errors: a card is authenticated by the SAM, so a code missing from
these tables means the table is old, not that the card is bad. They come back as
``未知(code)`` so nothing is lost and nothing crashes.
"""

from __future__ import annotations

import re

GENDERS: dict[str, str] = {"0": "未知", "1": "男", "2": "女", "9": "未说明"}
_GENDER_CODES = {name: code for code, name in GENDERS.items()}

NATIONS: dict[str, str] = {
    "01": "汉", "02": "蒙古", "03": "回", "04": "藏", "05": "维吾尔", "06": "苗", "07": "彝",
    "08": "壮", "09": "布依", "10": "朝鲜", "11": "满", "12": "侗", "13": "瑶", "14": "白",
    "15": "土家", "16": "哈尼", "17": "哈萨克", "18": "傣", "19": "黎", "20": "傈僳", "21": "佤",
    "22": "畲", "23": "高山", "24": "拉祜", "25": "水", "26": "东乡", "27": "纳西", "28": "景颇",
    "29": "柯尔克孜", "30": "土", "31": "达斡尔", "32": "仫佬", "33": "羌", "34": "布朗",
    "35": "撒拉", "36": "毛南", "37": "仡佬", "38": "锡伯", "39": "阿昌", "40": "普米",
    "41": "塔吉克", "42": "怒", "43": "乌孜别克", "44": "俄罗斯", "45": "鄂温克", "46": "德昂",
    "47": "保安", "48": "裕固", "49": "京", "50": "塔塔尔", "51": "独龙", "52": "鄂伦春",
    "53": "赫哲", "54": "门巴", "55": "珞巴", "56": "基诺", "97": "其他",
    "98": "外国血统中国籍人士",
}
_NATION_CODES = {name: code for code, name in NATIONS.items()}
_UNKNOWN = re.compile(r"^未知\((.*)\)$")


def gender_name(code: str) -> str:
    """"1" → "男"; anything outside the standard → "未知" (the standard's own word for it)."""
    return GENDERS.get(code.strip(), "未知")


def gender_code(name: str) -> str:
    return _GENDER_CODES.get(name, "0")


def nation_name(code: str) -> str:
    """"01" → "汉"; blank → ""; an unlisted code → "未知(99)"."""
    code = code.strip()
    if not code:
        return ""
    return NATIONS.get(code, f"未知({code})")


def nation_code(name: str) -> str:
    """Inverse of :func:`nation_name` (``未知(99)`` gives back ``99``)."""
    if not name:
        return ""
    if name in _NATION_CODES:
        return _NATION_CODES[name]
    unknown = _UNKNOWN.match(name)
    if unknown:
        return unknown.group(1)
    raise ValueError(f"unknown nation {name!r}")
