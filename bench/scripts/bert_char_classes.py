"""Writes nn/src/main/resources/dev/hyperkron/nn/text/bert-char-classes.txt: the code points that
Hugging Face tokenizers' BERT normalizer removes as control characters, strips as accents, and
that its BERT pre-tokenizer isolates as punctuation, as code point ranges. Hugging Face takes
these categories from Unicode tables older than the JDK's (characters added to Unicode since are
ordinary letters to it), so Hyperkron's tokenizer reads this table instead of
Character.getType to give the same tokens on any JDK. The table is measured by asking the
library about every code point (pip install tokenizers).

Usage: python3 bench/scripts/bert_char_classes.py
"""
import os

import tokenizers
from tokenizers import normalizers, pre_tokenizers

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "nn", "src", "main", "resources",
                   "dev", "hyperkron", "nn", "text", "bert-char-classes.txt")


def ranges(code_points):
    out = []
    for c in code_points:
        if out and out[-1][1] == c - 1:
            out[-1][1] = c
        else:
            out.append([c, c])
    return out


def main():
    clean = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=False, strip_accents=False, lowercase=False)
    strip = normalizers.BertNormalizer(clean_text=False, handle_chinese_chars=False, strip_accents=True, lowercase=False)
    pre = pre_tokenizers.BertPreTokenizer()
    classes = {"control": [], "mark": [], "punctuation": []}
    for c in range(0x110000):
        if 0xD800 <= c < 0xE000:
            continue
        ch = chr(c)
        if clean.normalize_str(ch) == "":
            classes["control"].append(c)
        if strip.normalize_str(ch) == "":
            classes["mark"].append(c)
        if [w for w, _ in pre.pre_tokenize_str("x" + ch + "y")] == ["x", ch, "y"]:
            classes["punctuation"].append(c)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="ascii") as f:
        f.write("# Character classes of BERT tokenization as Hugging Face tokenizers " + tokenizers.__version__
                + " applies them,\n# measured on every code point by bench/scripts/bert_char_classes.py."
                + " One class per line: name, then hex ranges.\n")
        for name, cps in classes.items():
            f.write(name + " " + " ".join("%x-%x" % (a, b) if a != b else "%x" % a for a, b in ranges(cps)) + "\n")
    print("wrote", OUT, {k: len(v) for k, v in classes.items()})


if __name__ == "__main__":
    main()
