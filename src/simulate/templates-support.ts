/**
 * Sentences of the support kinds — ticket triage and customer intent. Every sentence carries its
 * label through the cue phrases of ./lexicon.ts.
 */
import { lexiconOf } from './lexicon.js'
import { fromTable, negatedDecoy, twoIssues } from './templates.js'
import type { KindTemplates } from './templates.js'

const TRIAGE_LABELS = lexiconOf('triage').labels

const triagePlain = {
  billing: [
    'I was charged twice for my subscription this month.',
    'My invoice shows the wrong amount.',
    'I need a refund for last month.',
    'The payment went through and I got billed again.',
    'Please send me a receipt for March.',
    'My credit card was overcharged.'
  ],
  bug: [
    'The app crashes when I open settings.',
    'I get an error message when I save a file.',
    'The dashboard freezes after I sign in.',
    'The export fails every time.',
    'There is a glitch in the calendar view.',
    'The page shows a blank screen.',
    'Uploads are stuck loading forever.'
  ],
  account: [
    'I forgot my password and the reset link expired.',
    'I am locked out after too many attempts.',
    'How do I change my username?',
    'I want to change the email address on my profile.',
    'Please delete my account.',
    'Two-factor codes stopped arriving on my phone.'
  ],
  other: [
    'I have a feature request for the calendar.',
    'Here is a suggestion for your onboarding.',
    'We would like to discuss a partnership.',
    'What are your opening hours?',
    'Some feedback on the new design.',
    'Any plans for dark mode?',
    'Is there a job opening in support?',
    'This is a press inquiry about your launch.'
  ]
}

export const triage: KindTemplates = {
  plain: triagePlain,
  openers: ['Hi team.', 'Hello.'],
  closers: ['Thanks.', 'Please help.', 'Best regards.'],
  claimPrefix: 'this is about',
  decoys: {
    billing: ['my invoice', 'a refund', 'a payment'],
    bug: ['a crash', 'a glitch', 'a blank screen'],
    account: ['my password', 'my username', 'my profile'],
    other: ['a feature request', 'feedback', 'a suggestion']
  },
  products: ['app'],
  capsLabels: ['billing', 'bug', 'account'],
  core: {
    sarcasm: fromTable({
      bug: [
        'Oh great, the app crashes again.',
        'I just love how the export fails every time.',
        'Thanks a lot, another blank screen.'
      ],
      billing: ['Oh great, I was charged twice again.', 'What a treat, another wrong invoice.']
    }),
    hedging: fromTable({
      billing: ['Maybe this is nothing, but my invoice shows the wrong amount.'],
      bug: ['I guess this is minor, but the export fails every time.'],
      account: ['Perhaps I am doing something wrong, but I am locked out again.']
    }),
    rhetorical: fromTable({
      billing: [
        'Why was I charged twice this month?',
        'Why is my invoice double the usual amount?'
      ],
      bug: [
        'Why does the app crash every time I open it?',
        'How come the page shows a blank screen again?'
      ],
      account: ['Why am I locked out of my profile again?', 'Why does my username keep changing?']
    }),
    numeric: fromTable({
      billing: [
        'Invoice #404 charged me twice.',
        'Payment 50021 went through twice.',
        'Invoice #500 shows the wrong amount.'
      ],
      account: ['Account 40433 is locked out.', 'User 502 needs a password reset.'],
      other: ['Ticket #503: some feedback on the new design.', 'Feature request 404: dark mode.']
    })
  }
}

const INTENT_LABELS = lexiconOf('intent').labels

const intentPlain = {
  order: [
    'I would like to place an order for two mugs.',
    'Can I buy the blue one in a large?',
    'I want to purchase a gift card.',
    'I would like to order another set of filters.'
  ],
  cancel: [
    'Please cancel my order from yesterday.',
    'I need to call off the delivery.',
    'Can you stop my order before it ships?'
  ],
  track: [
    'Where is my package?',
    'Can you send me the tracking number?',
    'What is the delivery status of my parcel?',
    'Has it shipped yet?'
  ],
  return: [
    'I want to send it back.',
    'Please email me a return label.',
    'Can I exchange it for a smaller size?',
    'How do I return the jacket?'
  ]
}

export const intent: KindTemplates = {
  plain: intentPlain,
  openers: ['Hello.', 'Hi.'],
  closers: ['Thanks in advance.'],
  claimPrefix: 'this is about',
  decoys: {
    order: ['a new purchase', 'how to buy more'],
    cancel: ['how to cancel', 'a way to call off the order'],
    track: ['the tracking number', 'the delivery status'],
    return: ['a return label', 'how to send it back']
  },
  products: ['order'],
  capsLabels: ['order', 'track', 'return'],
  core: {
    negation: fromTable({
      track: ['I do not want to cancel, I just need the tracking number.'],
      return: ['I do not want to buy another one, I want to send it back.'],
      order: ['I do not want to send it back, I want to buy two more.']
    }),
    numeric: fromTable({
      cancel: ['Order 55213: please cancel it.', 'Please cancel order #4410.'],
      return: ['Please email me a return label for order 40412.'],
      order: ['I want to purchase item 20577 in blue.']
    }),
    hedging: fromTable({
      return: ['I suppose I should just send it back.'],
      cancel: ['Maybe I should cancel, I guess.']
    })
  }
}

triage.core['two-issues'] = twoIssues(triage, TRIAGE_LABELS)
triage.core.negation = negatedDecoy(triage, TRIAGE_LABELS)
intent.core['two-issues'] = twoIssues(intent, INTENT_LABELS)
