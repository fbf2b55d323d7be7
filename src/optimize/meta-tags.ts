/**
 * The tag names of the meta-prompt contract, shared by our meta-prompts (src/optimize/meta-prompts.ts)
 * and the simulated optimizer model, which recognises a request by the answer tag it asks for and reads
 * the pieces it is sent by these tags. The names are defined once, in src/simulate/contract.ts.
 */
import { CONTRACT_TAGS } from '../simulate/contract.js'

export const META_TAGS = CONTRACT_TAGS

export type MetaTag = (typeof META_TAGS)[keyof typeof META_TAGS]
