import { reportOnFile, FORMATS } from './src/lib/core/validate/testing';
for (const f of ['cookbook-drone_training.jsonl','foundry-stock_toolcall_training.jsonl', 'foundry-orca_dpo_pairs.validation.jsonl','llama-factory-kto_en_demo.json','autograding-validation_set.crlf.jsonl']) {
const r = await reportOnFile(`${FORMATS}/${f}`);
console.log(f, r.warnings.map(w=>`${w.code} ${w.message} ${w.lines}`).slice(0,8), r.stats.nearDuplicates);
}
