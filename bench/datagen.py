"""Realistic synthetic registry data for the import benchmarks.

People with valid GB 11643 ID numbers over real county codes (the NBS 2023 table the
platform packages, kept to codes python-stdnum knows as birthplaces), ages 16-65,
gender matching the sequence digit, mobiles, social-security card numbers for about a
third, education; employment rows with real occupation codes, posts and dates.
Row i is a pure function of (i, seed): the same N gives the same file, and every ID
number in a file is distinct (an index permutation, not random draws).

    python bench/datagen.py people 100000 people.csv
    python bench/datagen.py employment 100000 employment.csv --orgs 91330502MA...,...
"""

from __future__ import annotations

import argparse
import csv
import datetime
import random
from collections.abc import Iterator
from pathlib import Path

PEOPLE_HEADER = [
    "姓名", "证件类型", "证件号码", "性别", "出生日期", "社会保障卡号", "手机号码",
    "常住地区代码", "最高学历",
]  # fmt: skip
EMPLOYMENT_HEADER = [
    "证件类型", "证件号码", "用人单位信用代码", "岗位", "职业代码", "入职日期", "离职日期", "一线岗位",
]  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红文斌玉兰春梅海燕晓东丹宇浩然子涵欣怡梓轩一诺雨桐思远建华国强"
EDUCATION = ["初中"] * 30 + ["普通高中"] * 20 + ["中职（中专、技工学校）"] * 25 + ["大专（高职）"] * 15 + ["本科"] * 9 + ["硕士研究生"]  # fmt: skip
MOBILE_PREFIXES = ["138", "139", "135", "136", "137", "150", "151", "152", "158", "159", "186", "187", "188", "177", "199"]  # fmt: skip
OCCUPATIONS = [
    ("6-18-01-01", "车工"), ("6-18-01-02", "铣工"), ("6-18-02-04", "焊工"),
    ("6-31-01-03", "电工"), ("4-10-01-01", "保育师"), ("4-03-02-01", "中式烹调师"),
    ("6-29-01-03", "钢筋工"), ("4-12-01-01", "汽车维修工"),
]  # fmt: skip
FIRST_BIRTH = datetime.date(1960, 1, 1)
BIRTH_DAYS = 50 * 365  # born 1960 .. ~2009: aged 16-65 in 2026
PRIME = 1_000_003


def check_digit(body17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(body17, weights, strict=True))
    return "10X98765432"[total % 11]


def counties(prefix: str = "") -> list[str]:
    """Real county-level codes (12 digits) that python-stdnum also knows as birthplaces."""
    from stdnum import numdb

    from tongban.core.regions import read_rows

    table = numdb.get("cn/loc")
    result = []
    for row in read_rows():
        if row.level != "county" or not row.code.startswith(prefix):
            continue
        if any("county" in props for _part, props in table.info(row.code[:6])):
            result.append(row.code)
    return result


def people(n: int, county_codes: list[str], seed: int = 7) -> Iterator[list[str]]:
    rng = random.Random(seed)
    c = len(county_codes)
    space = c * BIRTH_DAYS * 1000
    for i in range(n):
        j = (i * PRIME + seed) % space  # a permutation of the index space: no repeats
        county = county_codes[j % c]
        born = FIRST_BIRTH + datetime.timedelta(days=(j // c) % BIRTH_DAYS)
        seq = (j // (c * BIRTH_DAYS)) % 1000
        body = f"{county[:6]}{born:%Y%m%d}{seq:03d}"
        number = body + check_digit(body)
        male = seq % 2 == 1
        name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
        card = f"{chr(65 + i % 26)}{i:08d}" if i % 3 == 0 else ""
        mobile = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        yield [
            name, "居民身份证", number, "男" if male else "女", born.isoformat(), card, mobile,
            county, rng.choice(EDUCATION),
        ]  # fmt: skip


def employment(
    people_rows: Iterator[list[str]], org_codes: list[str], seed: int = 11
) -> Iterator[list[str]]:
    rng = random.Random(seed)
    for row in people_rows:
        born = datetime.date.fromisoformat(row[4])
        start = born + datetime.timedelta(days=365 * rng.randint(18, 30) + rng.randrange(365))
        start = min(start, datetime.date(2026, 6, 30))
        ended = rng.random() < 0.3
        end = start + datetime.timedelta(days=rng.randint(200, 3000)) if ended else None
        code, post = rng.choice(OCCUPATIONS)
        yield [
            "居民身份证", row[2], rng.choice(org_codes), post, code, start.isoformat(),
            end.isoformat() if end and end < datetime.date(2026, 11, 30) else "",
            "是" if rng.random() < 0.7 else "否",
        ]  # fmt: skip


def write(path: Path, header: list[str], rows: Iterator[list[str]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("kind", choices=["people", "employment"])
    parser.add_argument("rows", type=int)
    parser.add_argument("target", type=Path)
    parser.add_argument("--orgs", default="", help="comma-separated credit codes (employment)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    codes = counties()
    rows = people(args.rows, codes, args.seed)
    if args.kind == "people":
        write(args.target, PEOPLE_HEADER, rows)
    else:
        write(args.target, EMPLOYMENT_HEADER, employment(rows, args.orgs.split(",")))


if __name__ == "__main__":
    main()
