#!/usr/bin/python3
"""
Writes a tiny random-weight BERT encoder in the Transformers.js layout, for tests that must not
touch the Hugging Face hub:

    tests/fixtures/models/tiny-random-bert/
        config.json  tokenizer.json  tokenizer_config.json  onnx/model.onnx

It exercises the real loading path (config, WordPiece tokenizer, ONNX session, mean pooling) in
node and in the browser; its embeddings carry no meaning. The weights come from a fixed seed, so
running this again rewrites byte-identical files (the committed copy is this script's output).

Needs Debian's python3-onnx (`apt-get install -y python3-onnx`) and numpy; run with
/usr/bin/python3 scripts/make-tiny-model.py [OUT_DIR] [--minilm] (`npm run model:tiny`).
--minilm writes a random model of all-MiniLM-L6-v2's shape instead (~45 MB, not committed), for
realistic throughput figures: `npm run bench:prefmodel -- --embeddings-only --embedding-model DIR`.
"""

import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

# The committed fixture's shape; --minilm gives all-MiniLM-L6-v2's (6 layers, 384 wide, 12 heads)
# for throughput figures with random weights.
TINY = {'hidden': 32, 'heads': 2, 'intermediate': 64, 'layers': 1}
MINILM = {'hidden': 384, 'heads': 12, 'intermediate': 1536, 'layers': 6}
MAX_POSITIONS = 64
TYPE_VOCAB = 2
SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']
WORDS = (
    'the a an and or of to in is it you your we i this that for on with be are was not no yes '
    'please thanks thank sorry help can will do does how what why when where here there refund '
    'order answer question good bad wrong right code error fix use try'
).split()


def vocabulary():
    """Specials, single characters, their ## continuations, then a few whole words."""
    chars = list('abcdefghijklmnopqrstuvwxyz0123456789') + list('.,!?;:\'"()-_/@#$%&*+=<>[]{}')
    tokens = SPECIALS + chars + ['##' + c for c in 'abcdefghijklmnopqrstuvwxyz0123456789'] + WORDS
    # Ids must be dense (0…n-1): 'a' and 'i' are both letters and words, so keep first sightings.
    unique = list(dict.fromkeys(tokens))
    return {token: index for index, token in enumerate(unique)}


def tokenizer_json(vocab):
    """A Hugging Face `tokenizers` file for an uncased BERT WordPiece tokenizer."""
    special = [
        {
            'id': vocab[t],
            'content': t,
            'single_word': False,
            'lstrip': False,
            'rstrip': False,
            'normalized': False,
            'special': True,
        }
        for t in SPECIALS
    ]
    return {
        'version': '1.0',
        'truncation': None,
        'padding': None,
        'added_tokens': special,
        'normalizer': {
            'type': 'BertNormalizer',
            'clean_text': True,
            'handle_chinese_chars': True,
            'strip_accents': None,
            'lowercase': True,
        },
        'pre_tokenizer': {'type': 'BertPreTokenizer'},
        'post_processor': {
            'type': 'TemplateProcessing',
            'single': [
                {'SpecialToken': {'id': '[CLS]', 'type_id': 0}},
                {'Sequence': {'id': 'A', 'type_id': 0}},
                {'SpecialToken': {'id': '[SEP]', 'type_id': 0}},
            ],
            'pair': [
                {'SpecialToken': {'id': '[CLS]', 'type_id': 0}},
                {'Sequence': {'id': 'A', 'type_id': 0}},
                {'SpecialToken': {'id': '[SEP]', 'type_id': 0}},
                {'Sequence': {'id': 'B', 'type_id': 1}},
                {'SpecialToken': {'id': '[SEP]', 'type_id': 1}},
            ],
            'special_tokens': {
                t: {'id': t, 'ids': [vocab[t]], 'tokens': [t]} for t in ['[CLS]', '[SEP]']
            },
        },
        'decoder': {'type': 'WordPiece', 'prefix': '##', 'cleanup': True},
        'model': {
            'type': 'WordPiece',
            'unk_token': '[UNK]',
            'continuing_subword_prefix': '##',
            'max_input_chars_per_word': 100,
            'vocab': vocab,
        },
    }


def encoder_graph(vocab_size, rng, shape):
    """BERT layers: embeddings, multi-head self-attention with the padding mask, GELU FFN."""
    hidden, heads, inter, layers = (
        shape['hidden'], shape['heads'], shape['intermediate'], shape['layers']
    )
    head_dim = hidden // heads

    def weight(name, *dims, scale=0.2):
        return numpy_helper.from_array((rng.standard_normal(dims) * scale).astype(np.float32), name)

    def const(name, value, dtype=np.int64):
        return numpy_helper.from_array(np.array(value, dtype=dtype), name)

    inits = [
        weight('word_embeddings', vocab_size, hidden),
        weight('position_embeddings', MAX_POSITIONS, hidden),
        weight('token_type_embeddings', TYPE_VOCAB, hidden),
        numpy_helper.from_array(np.ones(hidden, np.float32), 'ln_scale'),
        numpy_helper.from_array(np.zeros(hidden, np.float32), 'ln_bias'),
        const('one', 1),
        const('zero', 0),
        const('axis1', [1]),
        const('heads_shape', [0, -1, heads, head_dim]),
        const('merge_shape', [0, -1, hidden]),
        const('inv_sqrt_d', 1.0 / np.sqrt(head_dim), np.float32),
        const('neg_big', -1e4, np.float32),
        const('one_f', 1.0, np.float32),
        const('half', 0.5, np.float32),
        const('inv_sqrt2', 1.0 / np.sqrt(2.0), np.float32),
    ]
    n = helper.make_node
    nodes = [
        # Embeddings: word + position + token type, then LayerNorm.
        n('Gather', ['word_embeddings', 'input_ids'], ['we']),
        n('Shape', ['input_ids'], ['ids_shape']),
        n('Gather', ['ids_shape', 'one'], ['seq_len']),
        n('Range', ['zero', 'seq_len', 'one'], ['positions']),
        n('Gather', ['position_embeddings', 'positions'], ['pe']),
        n('Gather', ['token_type_embeddings', 'token_type_ids'], ['te']),
        n('Add', ['we', 'pe'], ['wpe']),
        n('Add', ['wpe', 'te'], ['emb_sum']),
        n('LayerNormalization', ['emb_sum', 'ln_scale', 'ln_bias'], ['h_0'], axis=-1, epsilon=1e-12),
        # Padding positions get -1e4 before each softmax.
        n('Cast', ['attention_mask'], ['mask_f'], to=TensorProto.FLOAT),
        n('Sub', ['one_f', 'mask_f'], ['mask_inv']),
        n('Mul', ['mask_inv', 'neg_big'], ['mask_add2']),
        n('Unsqueeze', ['mask_add2', 'axis1'], ['mask_add3']),
        n('Unsqueeze', ['mask_add3', 'axis1'], ['mask_add']),
    ]
    for layer in range(layers):
        p = f'l{layer}_'
        x = f'h_{layer}'
        out = 'last_hidden_state' if layer == layers - 1 else f'h_{layer + 1}'
        inits += [
            weight(p + 'wq', hidden, hidden),
            weight(p + 'wk', hidden, hidden),
            weight(p + 'wv', hidden, hidden),
            weight(p + 'wo', hidden, hidden),
            weight(p + 'w1', hidden, inter),
            weight(p + 'w2', inter, hidden),
        ]
        nodes += [
            # Self-attention.
            n('MatMul', [x, p + 'wq'], [p + 'q_flat']),
            n('MatMul', [x, p + 'wk'], [p + 'k_flat']),
            n('MatMul', [x, p + 'wv'], [p + 'v_flat']),
            n('Reshape', [p + 'q_flat', 'heads_shape'], [p + 'q_heads']),
            n('Reshape', [p + 'k_flat', 'heads_shape'], [p + 'k_heads']),
            n('Reshape', [p + 'v_flat', 'heads_shape'], [p + 'v_heads']),
            n('Transpose', [p + 'q_heads'], [p + 'q'], perm=[0, 2, 1, 3]),
            n('Transpose', [p + 'k_heads'], [p + 'k_t'], perm=[0, 2, 3, 1]),
            n('Transpose', [p + 'v_heads'], [p + 'v'], perm=[0, 2, 1, 3]),
            n('MatMul', [p + 'q', p + 'k_t'], [p + 'scores_raw']),
            n('Mul', [p + 'scores_raw', 'inv_sqrt_d'], [p + 'scores_scaled']),
            n('Add', [p + 'scores_scaled', 'mask_add'], [p + 'scores']),
            n('Softmax', [p + 'scores'], [p + 'probs'], axis=-1),
            n('MatMul', [p + 'probs', p + 'v'], [p + 'context_heads']),
            n('Transpose', [p + 'context_heads'], [p + 'context_t'], perm=[0, 2, 1, 3]),
            n('Reshape', [p + 'context_t', 'merge_shape'], [p + 'context']),
            n('MatMul', [p + 'context', p + 'wo'], [p + 'attn_out']),
            n('Add', [x, p + 'attn_out'], [p + 'a_sum']),
            n('LayerNormalization', [p + 'a_sum', 'ln_scale', 'ln_bias'], [p + 'a'], axis=-1,
              epsilon=1e-12),
            # Feed-forward with exact GELU: x · ½ · (1 + erf(x / √2)).
            n('MatMul', [p + 'a', p + 'w1'], [p + 'ff_in']),
            n('Mul', [p + 'ff_in', 'inv_sqrt2'], [p + 'ff_scaled']),
            n('Erf', [p + 'ff_scaled'], [p + 'ff_erf']),
            n('Add', [p + 'ff_erf', 'one_f'], [p + 'ff_erf1']),
            n('Mul', [p + 'ff_in', p + 'ff_erf1'], [p + 'ff_gelu2']),
            n('Mul', [p + 'ff_gelu2', 'half'], [p + 'ff_gelu']),
            n('MatMul', [p + 'ff_gelu', p + 'w2'], [p + 'ff_out']),
            n('Add', [p + 'a', p + 'ff_out'], [p + 'f_sum']),
            n('LayerNormalization', [p + 'f_sum', 'ln_scale', 'ln_bias'], [out], axis=-1,
              epsilon=1e-12),
        ]
    dims = ['batch_size', 'sequence_length']
    inputs = [
        helper.make_tensor_value_info(name, TensorProto.INT64, dims)
        for name in ['input_ids', 'attention_mask', 'token_type_ids']
    ]
    outputs = [
        helper.make_tensor_value_info('last_hidden_state', TensorProto.FLOAT, dims + [hidden])
    ]
    graph = helper.make_graph(nodes, 'tiny-random-bert', inputs, outputs, inits)
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid('', 17)],
        producer_name='tuneloop make-tiny-model.py',
    )
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    argv = sys.argv[1:]
    shape = MINILM if '--minilm' in argv else TINY
    paths = [a for a in argv if not a.startswith('--')]
    out = paths[0] if paths else os.path.join(
        root, 'tests', 'fixtures', 'models', 'tiny-random-bert'
    )
    os.makedirs(os.path.join(out, 'onnx'), exist_ok=True)
    vocab = vocabulary()
    rng = np.random.default_rng(20261123)
    config = {
        'model_type': 'bert',
        'architectures': ['BertModel'],
        'hidden_size': shape['hidden'],
        'num_attention_heads': shape['heads'],
        'num_hidden_layers': shape['layers'],
        'intermediate_size': shape['intermediate'],
        'hidden_act': 'gelu',
        'max_position_embeddings': MAX_POSITIONS,
        'type_vocab_size': TYPE_VOCAB,
        'vocab_size': len(vocab),
        'pad_token_id': 0,
        'layer_norm_eps': 1e-12,
    }
    tokenizer_config = {
        'tokenizer_class': 'BertTokenizer',
        'do_lower_case': True,
        'model_max_length': MAX_POSITIONS,
        'cls_token': '[CLS]',
        'sep_token': '[SEP]',
        'pad_token': '[PAD]',
        'unk_token': '[UNK]',
        'mask_token': '[MASK]',
        'clean_up_tokenization_spaces': True,
    }

    def write_json(name, value):
        with open(os.path.join(out, name), 'w', encoding='utf-8') as f:
            json.dump(value, f, indent=1, ensure_ascii=False)
            f.write('\n')

    write_json('config.json', config)
    write_json('tokenizer_config.json', tokenizer_config)
    write_json('tokenizer.json', tokenizer_json(vocab))
    onnx.save(encoder_graph(len(vocab), rng, shape), os.path.join(out, 'onnx', 'model.onnx'))
    size = sum(
        os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(out) for f in files
    )
    print(f'wrote {out} ({size / 1024:.0f} KiB, {shape}, vocab {len(vocab)})')


if __name__ == '__main__':
    main()
