"""Organisation codes of units, with their check characters.

A 机构代码 is either the 9-character 组织机构代码 (GB 11714-1997, written XXXXXXXX-X) or the
18-character 统一社会信用代码 (GB 32100-2015). Either prefixes the 索引号 of the unit's items
(国办秘函〔2009〕6号), so a typo would be frozen into every published number: both are checked
before they are stored. The same checks serve the identity data of requests."""

import re

CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORGANISATION_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def normalise(code: str) -> str:
    return re.sub(r"\s+", "", code or "").upper()


def credit_code_error(code: str) -> str | None:
    """Why `code` is not a valid 18-character 统一社会信用代码, or None if it is."""
    code = normalise(code)
    if len(code) != 18 or any(char not in CREDIT_CODE_CHARS for char in code):
        return "统一社会信用代码应为18位数字或大写字母（不含 I、O、Z、S、V）。"
    total = sum(CREDIT_CODE_CHARS.index(char) * weight for char, weight in zip(code[:17], CREDIT_CODE_WEIGHTS))
    if CREDIT_CODE_CHARS[(31 - total % 31) % 31] != code[17]:
        return "统一社会信用代码校验位不正确，请核对后重新输入。"
    return None


def organisation_code_error(code: str) -> str | None:
    """Why `code` is not a valid 9-character 组织机构代码 (XXXXXXXX-X), or None if it is."""
    code = normalise(code).replace("-", "")
    if not re.fullmatch(r"[0-9A-Z]{8}[0-9X]", code):
        return "组织机构代码应为8位数字或大写字母加1位校验码，如 12345678-9。"
    total = sum(int(char, 36) * weight for char, weight in zip(code[:8], ORGANISATION_CODE_WEIGHTS))
    check = 11 - total % 11
    if {10: "X", 11: "0"}.get(check, str(check)) != code[8]:
        return "组织机构代码校验位不正确，请核对后重新输入。"
    return None


def institution_code(code: str) -> str:
    """The stored form of a 机构代码: no spaces, upper case, the organisation code without its hyphen."""
    code = normalise(code)
    return code.replace("-", "") if len(code) == 10 else code


def institution_code_error(code: str) -> str | None:
    """Why `code` is neither a valid organisation code nor a valid credit code, or None."""
    code = institution_code(code)
    if len(code) == 9:
        return organisation_code_error(code)
    if len(code) == 18:
        return credit_code_error(code)
    return "机构代码应为9位组织机构代码（如 12345678-9）或18位统一社会信用代码。"
