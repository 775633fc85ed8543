"""Reference token ids for the WordPiece tokenizer test: Hugging Face `tokenizers` (the Rust
library's Python binding, installed with `pip install tokenizers`) encodes a set of tricky
sentences and the TREC questions with the all-MiniLM-L6-v2 tokenizer.json from the langchain4j
artifact. Writes bench/src/test/resources/dev/hyperkron/bench/text/wordpiece-golden.json, which
bench's MiniLmTokenizerGoldenTest compares Hyperkron's tokenizer against token for token.

Run ./mvnw -B -q -pl bench dependency:resolve first so the jar is in ~/.m2.
Usage: python3 bench/scripts/wordpiece_reference.py [--jar PATH] [--trec ../shared/data/trec]
"""
import argparse
import hashlib
import json
import os

import tokenizers
from tokenizers import Tokenizer

import minilm_common as mc

TRICKY = [
    "What is the capital of France?",
    "Café déjà vu: a naïve façade in São Paulo, Zürich and Ångström.",
    "RÉSUMÉ Crème Brûlée — ÉCOLE",
    "e\u0301 combining acute, n\u0303 combining tilde",
    "İstanbul, Straße, ΣΊΣΥΦΟΣ, Ωμέγα, Привет, мир!",
    "我爱北京天安门。BERT是一个模型",
    "こんにちは世界、カタカナ and 한국어 안녕하세요",
    "مرحبا بالعالم and שלום עולם",
    "สวัสดีครับ ภาษาไทย",
    "Wait...what?!?! --- *** ### (((nested))) [[brackets]] {{braces}}",
    "don't won't it's y'all rock'n'roll O'Neill's ‘curly’ “quotes”",
    "Contact john.doe+newsletter@example.co.uk or admin@localhost today.",
    "See https://huggingface.co/docs/tokenizers?x=1&y=2#section for details.",
    "pneumonoultramicroscopicsilicovolcanoconiosis antidisestablishmentarianism",
    "Supercalifragilisticexpialidocious" * 3,
    "x" * 100,
    "x" * 101,
    "3.14159 1,000,000 $5.99 50% 2nd 21st 1990s -42 +7 1e-12",
    "I love 🤗 and 😀! 👍🏽 🇫🇷",
    "Hello [MASK] world[SEP]again [CLS]x[PAD] [UNK]",
    "[mask] and [Mask] are not special, but [MASK] is.",
    "tab\there\nnew line\r\ncarriage   many    spaces",
    "zero\u200bwidth soft\u00adhyphen non\u00a0breaking ideographic\u3000space",
    "nul\u0000char replacement\ufffdchar bell\u0007char",
    "unassigned x\u0378y and \u3040ぁ stay, format \u0605ظ and private-use x\ue000y go",
    "ＡＢＣ１２３ full-width ｶﾀｶﾅ half-width",
    "ﬁnance ligature ½ fraction ² superscript ℃ Ⅻ",
    "C++ C# F# .NET node.js x86_64 a/b\\c |pipe| ~tilde^ `backtick`",
    "Who was the first U.S. president ?",
    "How many calories are in a Big Mac ?",
    "What does the abbreviation AIDS stand for ?",
    "   leading and trailing spaces   ",
    "a",
    ".",
]

SPLITS = ["train", "valid", "test"]


def encode_all(tok, texts):
    return [tok.encode(t) for t in texts]


def id_lines_sha256(encodings):
    h = hashlib.sha256()
    for e in encodings:
        h.update((" ".join(str(i) for i in e.ids) + "\n").encode("ascii"))
    return h.hexdigest()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--jar", default=mc.default_jar())
    p.add_argument("--trec", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                  "..", "..", "..", "shared", "data", "trec"))
    p.add_argument("--out", default=os.path.join(mc.GOLDEN_DIR, "wordpiece-golden.json"))
    args = p.parse_args()

    tok = Tokenizer.from_str(mc.read_resource(args.jar, mc.TOKENIZER_RESOURCE).decode("utf-8"))
    tok.no_padding()
    tok.no_truncation()
    cases = [{"text": t, "ids": e.ids, "tokens": e.tokens} for t, e in zip(TRICKY, encode_all(tok, TRICKY))]

    # Batches truncated to 12 tokens (special tokens included), padded to 12 and to the longest.
    tok.enable_truncation(max_length=12)
    batches = {}
    question, accents, short = TRICKY[0], TRICKY[1], "a"
    for padding, length, batch_texts in (("max_length", 12, [question, accents, short]),
                                         ("longest", None, [short, question])):
        tok.enable_padding(length=length, pad_id=0, pad_token="[PAD]")
        batches[padding] = [{"text": t, "ids": e.ids, "attention_mask": e.attention_mask, "type_ids": e.type_ids}
                            for t, e in zip(batch_texts, tok.encode_batch(batch_texts))]
    tok.no_padding()
    tok.no_truncation()

    # Every code point of the first two planes between two letters, as one SHA-256 over the id lines.
    code_points = [c for c in range(0x20000) if not 0xD800 <= c < 0xE000]
    every = id_lines_sha256(tok.encode_batch(["x" + chr(c) + "y" for c in code_points]))

    golden = {
        "every_code_point_below_20000": {"text": "x{c}y", "id_lines_sha256": every},
        "source": "Hugging Face tokenizers " + tokenizers.__version__ + ", " + mc.TOKENIZER_RESOURCE
                  + " from " + os.path.basename(args.jar),
        "cases": cases,
        "batch": {"max_length": 12, "padding": batches},
    }
    if os.path.isdir(args.trec):
        trec = {}
        for split in SPLITS:
            with open(os.path.join(args.trec, split + ".json"), encoding="utf-8") as f:
                records = json.load(f)
            texts = [records[str(i)]["data"]["text"] for i in range(len(records))]
            encodings = encode_all(tok, texts)
            trec[split] = {"questions": len(texts), "tokens": sum(len(e.ids) for e in encodings),
                           "longest": max(len(e.ids) for e in encodings),
                           "id_lines_sha256": id_lines_sha256(encodings),
                           "first": [{"text": t, "ids": e.ids} for t, e in zip(texts[:5], encodings[:5])]}
        golden["trec"] = trec
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(golden, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print("wrote", args.out, len(cases), "cases", "with TREC" if "trec" in golden else "without TREC")


if __name__ == "__main__":
    main()
