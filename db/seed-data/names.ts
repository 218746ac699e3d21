// Names for generated demo staff (the demo seed and the scale seed): common in Staffordshire and
// Stoke-on-Trent's NHS and social care workforce.
export const FIRST_NAMES: readonly string[] = [
  "Amelia", "Olivia", "Emma", "Sophie", "Charlotte", "Hannah", "Lucy", "Rebecca", "Gemma", "Kelly",
  "Claire", "Joanne", "Lisa", "Donna", "Karen", "Susan", "Julie", "Tracey", "Nicola", "Laura",
  "Jack", "Oliver", "Harry", "James", "Thomas", "Daniel", "Matthew", "Ryan", "Craig", "Lee",
  "Mark", "Paul", "Steven", "Gary", "Andrew", "David", "Michael", "Christopher", "Adam", "Liam",
  "Priya", "Aisha", "Fatima", "Zainab", "Nadia", "Sana", "Imran", "Mohammed", "Bilal", "Arjun",
  "Ravi", "Sunita", "Harpreet", "Gurpreet", "Mei", "Grace", "Blessing", "Chidi", "Ngozi", "Tunde",
  "Maria", "Joy", "Angelica", "Mary Jane", "Jose", "Anna", "Katarzyna", "Marta", "Piotr", "Andrei",
  "Siobhan", "Niamh", "Ffion", "Rhys", "Kwame", "Abena", "Deepa", "Anil", "Joseph", "Sinead",
];

export const LAST_NAMES: readonly string[] = [
  "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright",
  "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke",
  "Hughes", "Edwards", "Turner", "Hill", "Cooper", "Ward", "Moore", "Baker", "Harrison", "Bailey",
  "Plant", "Salt", "Bloor", "Hulme", "Cope", "Shenton", "Wain", "Beardmore", "Mountford", "Podmore",
  "Khan", "Hussain", "Ahmed", "Ali", "Begum", "Patel", "Sharma", "Singh", "Kaur", "Chaudhry",
  "Okafor", "Adeyemi", "Mensah", "Osei", "Eze", "Santos", "Reyes", "Cruz", "Dela Cruz", "Mendoza",
  "Kowalski", "Nowak", "Wisniewska", "Popescu", "Ionescu", "O'Brien", "Murphy", "Kelly", "Chen", "Nair",
];
