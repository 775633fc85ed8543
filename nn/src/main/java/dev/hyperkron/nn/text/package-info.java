/**
 * Text for pretrained BERT-family encoders: the WordPiece tokenizer that turns text into the
 * ids such a model was trained on ({@link dev.hyperkron.nn.text.WordPieceTokenizer}, read from
 * a Hugging Face tokenizer.json), the pretrained weights under one naming with their config
 * ({@link dev.hyperkron.nn.text.BertCheckpoint} from ONNX or safetensors), and the TREC
 * question data of text data hypercleaning ({@link dev.hyperkron.nn.text.Trec}).
 */
package dev.hyperkron.nn.text;
