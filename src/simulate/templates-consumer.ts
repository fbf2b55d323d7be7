/**
 * Sentences of the consumer kinds — product reviews (sentiment) and text messages (spam). Every
 * sentence carries its label through the cue phrases of ./lexicon.ts.
 */
import { lexiconOf } from './lexicon.js'
import { emojiOnly, fromTable } from './templates.js'
import type { KindTemplates } from './templates.js'

const SENTIMENT_PLAIN = {
  positive: [
    'I love this {p}.',
    'The {p} works perfectly.',
    'Excellent {p}, sturdy and well made.',
    'Really happy with the {p}.',
    'Great value for a {p}, I recommend it.',
    'This {p} is superb.',
    'The {p} is reliable and worth every penny.',
    'Fantastic {p}.'
  ],
  negative: [
    'The {p} broke after a week.',
    'Total waste of money, the {p} fell apart.',
    'The {p} feels flimsy.',
    'Disappointed with the {p}.',
    'The {p} stopped working on day two.',
    'Awful {p}, it leaks everywhere.',
    'Terrible {p}, useless from the start.',
    'The {p} arrived faulty.'
  ]
}

export const sentiment: KindTemplates = {
  plain: SENTIMENT_PLAIN,
  openers: ['I bought it last month.', 'It was a gift for my dad.', 'Picked it up on sale.'],
  closers: ['It arrived on time.', 'I use it every morning.', 'Ordered it online.'],
  decoys: {
    positive: ['excellent', 'great value', 'reliable', 'superb'],
    negative: ['flimsy', 'awful', 'useless', 'terrible']
  },
  claimPrefix: 'it is',
  products: ['kettle', 'blender', 'toaster', 'frying pan'],
  capsLabels: ['positive'],
  core: {
    negation: fromTable({
      positive: [
        'The {p} is not bad at all.',
        'Honestly, the {p} is not flimsy in the slightest.',
        'The {p} never disappointed me.'
      ],
      negative: [
        'The {p} is not reliable at all.',
        'I would never recommend this {p}.',
        'The {p} is hardly worth every penny.',
        "This {p} isn't sturdy."
      ]
    }),
    sarcasm: fromTable({
      negative: [
        'Oh great, the {p} broke after a week.',
        'The {p} stopped working on day two. Just what I needed.',
        'I just love how the {p} leaks everywhere.',
        'Thanks a lot, the {p} is useless.',
        'What a treat, the {p} arrived faulty.'
      ]
    }),
    comparative: fromTable({
      positive: [
        'The {p} is far better than my old one, which broke.',
        'Much better than the {p} I had before, which felt flimsy.'
      ],
      negative: [
        'The {p} is worse than my old one, which was excellent.',
        'Worse than the {p} I had before, and that one was fine.'
      ]
    }),
    hedging: fromTable({
      positive: [
        'I guess the {p} is fine, it does the job.',
        'The {p} is kind of okay, I suppose.',
        'The {p} is sort of fine, I guess.',
        'Perhaps the {p} is okay for the price.'
      ]
    }),
    rhetorical: fromTable({
      positive: [
        'Could the {p} be any easier to use?',
        'Why did I wait so long to buy this {p}?',
        'Who knew a {p} could be this fantastic?'
      ],
      negative: [
        'Who designs a {p} that leaks like this?',
        'Why does the {p} fall apart so fast?',
        'How come the {p} broke after a week?'
      ]
    }),
    emoji: emojiOnly(lexiconOf('sentiment').emoji)
  }
}

const SPAM_PLAIN = {
  spam: [
    'Congratulations, you have won a free gift card.',
    'Claim your prize today, click here.',
    'Limited offer, act now for a cash bonus.',
    'You are our lucky winner, click here.',
    'Exclusive deal just for you, click here.'
  ],
  ham: [
    'Are we still on for lunch tomorrow?',
    'Can you send me the report before the meeting?',
    'Dinner at mine on Friday, see you then.',
    'Call me when you land.',
    'Can you pick up the kids at four?',
    'Happy birthday, see you at dinner.'
  ]
}

export const spam: KindTemplates = {
  plain: SPAM_PLAIN,
  openers: ['Hey.', 'Hi there.'],
  closers: ['Cheers.'],
  decoys: {
    spam: ['a free gift', 'a cash bonus', 'a prize draw winner'],
    ham: ['the meeting', 'lunch', 'dinner']
  },
  claimPrefix: 'this is about',
  products: ['phone'],
  capsLabels: ['ham'],
  core: {
    numeric: fromTable({
      ham: [
        'Meeting moved to room 204 at three, see you there.',
        'Dinner is booked under reference 5521.',
        'Lunch tomorrow? My new extension is 4471.'
      ]
    }),
    negation: fromTable({
      spam: ['This is not a scam: you have won a free gift card.'],
      ham: ["I can't believe the meeting ran so late, call me."]
    }),
    rhetorical: fromTable({
      spam: ['Why pay full price when you can claim your prize for free? Click here.']
    }),
    emoji: emojiOnly(lexiconOf('spam').emoji)
  }
}
