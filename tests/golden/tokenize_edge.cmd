# Tokenizer edge cases from the bundled corpus (one document per line, ids FILE:LINE).
"$VOCMINE" tokenize --format text -j 1 ../../corpora/samples/edge_cases.txt
